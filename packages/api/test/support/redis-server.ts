import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { Redis } from "ioredis";
import { freePort } from "./free-port";

const missing =
  "The Redis rate-limit tests need either REDIS_URL or the redis-server binary to start their own: " +
  "install the Debian package redis-server (apt-get install -y redis-server), or set REDIS_URL.";

/** A throwaway Redis on a free loopback port, keeping nothing on disk; `stop` ends it. */
export async function startRedisServer(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.env.REDIS_SERVER ?? "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: "ignore" },
  );
  const failed = new Promise<never>((_, reject) => {
    child.on("error", (err) => reject(new Error(`${missing} (${err.message})`)));
    child.on("exit", (code) => reject(new Error(`redis-server exited with ${code} before answering.`)));
  });
  const url = `redis://127.0.0.1:${port}`;
  const ready = (async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`redis-server on port ${port} did not answer within 10 s.`);
  })();
  await Promise.race([ready, failed]);
  return {
    url,
    async stop() {
      child.removeAllListeners("exit");
      child.kill("SIGTERM");
      if (child.exitCode === null) await once(child, "exit");
    },
  };
}
