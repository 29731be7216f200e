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
