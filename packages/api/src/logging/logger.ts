import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * JSON lines on stdout. Nothing we log carries a secret by construction (request logs name the path, never
 * headers or bodies); the redaction is a second line of defence should someone log a request object.
 */
export function createLogger(level = process.env.LOG_LEVEL ?? "info", destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "repokeys" },
      redact: {
        paths: [
          "req.headers.authorization",
          "req.headers.cookie",
          "headers.authorization",
          "headers.cookie",
          "*.secret",
          "*.token",
          "secret",
          "token",
        ],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

/**
 * The server's logger: lines are gathered and written together, at the latest 100 ms after they were logged,
 * instead of one write per request line (bench/README.md). Synchronous writes, as pino's default: no
 * thread-pool round trip per write. What is still gathered is written when the process exits; only a
 * SIGKILL can lose the last 100 ms.
 */
export function createServerLogger(level?: string): Logger {
  const destination = pino.destination({ dest: 1, sync: true, minLength: 4096, periodicFlush: 100 });
  process.on("exit", () => destination.flushSync());
  return createLogger(level, destination);
}
