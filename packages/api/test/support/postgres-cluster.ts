import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port";

const run = promisify(execFile);

/** A throwaway PostgreSQL server of our own, which a test may stop and start (never the shared one). */
export interface PostgresCluster {
  /** The `postgres` database on this server; tests create their own databases next to it. */
  serverUrl: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops every process of this server without closing a socket (SIGSTOP), as a network partition would look. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  dispose(): Promise<void>;
}

const packageHint =
  "These tests start their own PostgreSQL server and need its binaries: install the Debian package postgresql-15 " +
  "(apt-get install -y postgresql-15), or point PG_BIN at a directory holding initdb and pg_ctl.";

function findBinDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? [15, 16, 17, 14].filter((v) => existsSync(`${root}/${v}/bin/pg_ctl`)) : [];
  if (versions.length === 0) throw new Error(`No PostgreSQL binaries under ${root}. ${packageHint}`);
  return `${root}/${versions[0]}/bin`;
}

/** initdb refuses to run as root: as root we run the binaries as the `postgres` system user. */
async function asServerUser(bin: string, args: string[]) {
  const asRoot = process.getuid?.() === 0;
  const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  try {
    return await run(command, argv, { timeout: 60_000 });
  } catch (err) {
    const { stderr, message } = err as { stderr?: string; message: string };
    throw new Error(`${path.basename(bin)} failed: ${stderr || message}`);
  }
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findBinDir();
  const dir = await mkdtemp(path.join(tmpdir(), "repokeys-pg-"));
  if (process.getuid?.() === 0) {
    const { stdout } = await run("id", ["-u", "postgres"]).catch(() => {
      throw new Error("Running as root, these tests need the `postgres` system user to run PostgreSQL as.");
    });
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    await chown(dir, Number(stdout), Number(gid));
  }
  const dataDir = path.join(dir, "data");
  const port = await freePort();
  await asServerUser(path.join(bin, "initdb"), ["-D", dataDir, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const pgCtl = (...args: string[]) => asServerUser(path.join(bin, "pg_ctl"), ["-D", dataDir, ...args]);
  // Durability is not under test here; fsync off keeps a stop/start cycle fast on a busy machine.
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = async () => {
    await pgCtl("start", "-w", "-t", "60", "-l", path.join(dir, "server.log"), "-o", serverOptions);
  };
  const stop = async () => {
    await pgCtl("stop", "-m", "fast", "-w", "-t", "60");
  };
  /** This server's processes only: the postmaster (first line of postmaster.pid) and its children. */
  const processes = async () => {
    const postmaster = Number((await readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n", 1)[0]);
    const { stdout } = await run("pgrep", ["-P", String(postmaster)]);
    return [postmaster, ...stdout.split("\n").filter(Boolean).map(Number)];
  };
  await start();
  return {
    serverUrl: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    async freeze() {
      for (const pid of await processes()) process.kill(pid, "SIGSTOP");
    },
    async thaw() {
      for (const pid of await processes()) process.kill(pid, "SIGCONT");
    },
    async dispose() {
      if ((await readdir(dataDir)).includes("postmaster.pid")) {
        // A test that failed while the server was frozen: it cannot stop before it runs again.
        for (const pid of await processes().catch(() => [])) process.kill(pid, "SIGCONT");
        await stop().catch(() => {});
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
