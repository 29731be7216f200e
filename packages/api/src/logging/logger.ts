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
 * The server's logger: each request's line is written off the request path, several lines to one write
 * under load instead of one synchronous write per request (bench/README.md). pino flushes what is left
 * when the process exits; only a SIGKILL can lose the last lines.
 */
export function createServerLogger(level?: string): Logger {
  return createLogger(level, pino.destination({ dest: 1, sync: false }));
}
