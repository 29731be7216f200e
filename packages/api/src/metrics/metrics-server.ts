import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiMetrics } from "./api-metrics";

/** Where the metrics listener listens; undefined `port`: no listener at all. */
export interface MetricsSettings {
  /** `METRICS_PORT`: default 9464 (Prometheus's conventional exporter port); `0` or `off` turns it off. */
  port: number | undefined;
  /** `METRICS_HOST`: default 127.0.0.1, so that only this machine can scrape until the operator widens it. */
  host: string;
}

export function metricsSettingsFromEnv(env: Record<string, string | undefined> = process.env): MetricsSettings {
  const raw = env.METRICS_PORT?.trim() ?? "";
  const host = env.METRICS_HOST || "127.0.0.1";
  if (raw === "") return { port: 9464, host };
  if (raw === "0" || raw.toLowerCase() === "off") return { port: undefined, host };
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535)
    throw new Error(`METRICS_PORT must be a port from 1 to 65535, or 0 or "off" to serve no metrics, not "${raw}".`);
  return { port, host };
}

export interface MetricsServer {
  /** The address it listens on, e.g. http://127.0.0.1:9464/metrics. */
  url: string;
  close(): Promise<void>;
}

/**
 * The metrics on a listener of their own, never on the public port: `GET /metrics` in Prometheus's text
 * format, 404 for anything else; undefined (no listener) when `port` is. Adds the process's own metrics to the
 * registry. A port already taken fails the start with what to do (two instances on one machine need a
 * METRICS_PORT each).
 */
export async function serveMetrics(
  metrics: ApiMetrics,
  { port, host }: MetricsSettings,
): Promise<MetricsServer | undefined> {
  if (port === undefined) return undefined;
  metrics.collectProcessMetrics();
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?", 1)[0];
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Metrics are at GET /metrics.\n");
      return;
    }
    metrics.registry.metrics().then(
      (text) => {
        res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      () => res.writeHead(500).end(),
    );
  });
  server.listen(port, host);
  try {
    await once(server, "listening"); // rejects on the server's "error" (a port in use)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(
      `The metrics listener cannot listen on ${host}:${port} (${code ?? (err as Error).message}). ` +
        "Set METRICS_PORT to a free port (each instance on one machine needs its own), or METRICS_PORT=off.",
    );
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
