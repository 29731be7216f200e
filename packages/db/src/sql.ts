/**
 * The smallest surface both PostgreSQL (`pg`) and embedded PGlite offer: one parameterised
 * statement in, rows out. Hot paths that are one statement use it instead of Prisma's client,
 * whose client adds ~0.2 ms of server CPU and ~0.2 ms of PostgreSQL CPU per query over `pg` at the same
 * round trips (measured before the first release; bench/README.md has the later figures).
 */
export interface SqlRunner {
  query<Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** Statements inside one open transaction. */
export interface SqlTransaction extends SqlRunner {
  /** Runs a script of one or more statements without parameters. */
  exec(sqlText: string): Promise<void>;
}
