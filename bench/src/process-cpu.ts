import type pg from "pg";
import pidusage from "pidusage";

/**
 * CPU time (user + system) that a set of processes spends, in ms: the API server and the database backends
 * serving it. On a shared machine latency mostly measures the neighbours; CPU time per request is the cost of
 * the request itself, whatever else runs (pidusage reads /proc on Linux).
 */
export async function cpuMsOf(pids: readonly number[]): Promise<number> {
  if (pids.length === 0) return 0;
  const stats = await pidusage([...pids]);
  return Object.values(stats).reduce((sum, stat) => sum + (stat?.ctime ?? 0), 0);
}

/** The backends connected to `database`, but the asking connection's own. */
export async function backendPids(db: pg.Client, database: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    [database],
  );
  return rows.map((r) => r.pid);
}
