import type pg from "pg";
import pidusage from "pidusage";

/**
 * CPU time (user + system) that a set of processes spends, in ms: the API server and the database backends
 * serving it. On a shared machine latency mostly measures the neighbours; CPU time per request is the cost of
 * the request itself, whatever else runs (pidusage reads /proc on Linux). `spentMs` counts only the processes
 * present at both readings: a backend that a pool closed in between drops out, rather than taking its whole
 * CPU time off the sum.
 */
export async function cpuReading(pids: readonly number[]) {
  const before = await cpuMsByPid(pids);
  return {
    async spentMs(): Promise<number> {
      const after = await cpuMsByPid([...before.keys()]);
      let spent = 0;
      for (const [pid, ms] of after) spent += ms - before.get(pid)!;
      return spent;
    },
  };
}

async function cpuMsByPid(pids: readonly number[]): Promise<Map<number, number>> {
  const times = new Map<number, number>();
  await Promise.all(
    pids.map(async (pid) => {
      try {
        times.set(pid, (await pidusage(pid)).ctime);
      } catch {
        // gone: not counted
      }
    }),
  );
  return times;
}

/** The backends connected to `database`, but the asking connection's own. */
export async function backendPids(db: pg.Client, database: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()",
    [database],
  );
  return rows.map((r) => r.pid);
}
