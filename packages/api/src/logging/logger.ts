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
 *
 * Gathered as buffers, not text: in text mode sonic-boom appends each line to the pending string and measures
 * that whole string's UTF-8 length again on every line, which flattened and scanned kilobytes per request
 * line (~3% of a short request's CPU in a perf profile). In buffer mode a line costs its own encoding only.
 */
export function createServerLogger(level?: string): Logger {
  const destination = pino.destination({
    dest: 1,
    sync: true,
    contentMode: "buffer",
    minLength: 16 * 1024,
    maxWrite: 64 * 1024,
    periodicFlush: 100,
  });
  process.on("exit", () => destination.flushSync());
  // sonic-boom's types declare write(string) for both modes; in buffer mode it takes a Buffer.
  const writeBuffer = destination.write.bind(destination) as unknown as (chunk: Buffer) => boolean;
  return createLogger(level, { write: (line: string) => writeBuffer(Buffer.from(line)) });
}
