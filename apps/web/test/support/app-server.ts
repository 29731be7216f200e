import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

const appDir = path.resolve(import.meta.dirname, "../..");

/** A loopback port free at the moment of asking. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address() as { port: number };
  probe.close();
  return port;
}

export interface AppServer {
  baseUrl: string;
  /** The metrics listener's `/metrics`, on a free port of its own (never 9464: test servers run side by side). */
  metricsUrl: string;
  /** Everything the server has written, once the lines it gathers (at most 100 ms, createServerLogger) are out. */
  output: () => Promise<string>;
  stop(): Promise<void>;
}

/** The production build behind the real server.ts, as `pnpm start` runs it, on a free port. */
export async function startAppServer(env: Record<string, string>): Promise<AppServer> {
  if (!existsSync(path.join(appDir, ".next", "BUILD_ID")))
    throw new Error("No production build: run `pnpm --filter @repokeys/web build` (turbo's test task does).");
  const port = await freePort();
  const metricsPort = await freePort();
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: appDir,
    env: {
      ...process.env,
      DATABASE_URL: "",
      // Servers of one test run may share a Redis (CI sets REDIS_URL): each counts its rate limits apart.
      RATE_LIMIT_REDIS_PREFIX: `repokeys-test:${port}:${Date.now()}`,
      METRICS_PORT: String(metricsPort),
      ...env,
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  while (!output.includes("is listening on")) {
    if (child.exitCode !== null) throw new Error(`The app server exited (${child.exitCode}):\n${output}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The app server did not start within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    async output() {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return output;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
