import { AsyncLocalStorage } from "node:async_hooks";
import type { PGlite } from "@electric-sql/pglite";
import { pgDump } from "@electric-sql/pglite-tools/pg_dump";

const dumping = new AsyncLocalStorage<true>();

/**
 * A consistent plain-SQL dump of the embedded database by pg_dump (compiled for PGlite by its authors), taken
 * while the app serves. PGlite is one session: if pg_dump ran while a transaction of the app was open, it would
 * read that transaction's uncommitted rows and then commit it. So the dump holds PGlite's transaction lock
 * (every query and transaction of the app waits for it, as for any transaction) and lets only its own calls
 * through, recognised by their async context. pg_dump itself runs synchronously in one REPEATABLE READ transaction.
 * Nothing the app writes can land between the snapshot's tables.
 */
export async function dumpPglite(pg: PGlite): Promise<string> {
  const locked = pg._runExclusiveTransaction.bind(pg);
  return locked(async () => {
    // While we hold the lock, pg_dump's own queries run at once; everyone else's still queue behind it.
    pg._runExclusiveTransaction = <T>(fn: () => Promise<T>) => (dumping.getStore() ? fn() : locked(fn));
    try {
      return await dumping.run(true, async () => {
        const [before] = (await pg.query<{ search_path: string }>("SHOW search_path")).rows;
        const file = await pgDump({ pg, args: ["--no-owner", "--no-privileges"] });
        // pg_dump ends by closing its connection, which ends its transaction on a server; PGlite's one session
        // stays in it (read-only, repeatable read) until told otherwise, and keeps the empty search_path pg_dump
        // set for itself. End the one, put back the other.
        await pg.exec("ROLLBACK");
        await pg.exec(`SET search_path TO ${before?.search_path ?? "public"}`);
        return file.text();
      });
    } finally {
      // The prototype's method again.
      delete (pg as Partial<Pick<PGlite, "_runExclusiveTransaction">>)._runExclusiveTransaction;
    }
  });
}
