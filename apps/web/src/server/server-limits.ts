import type { ServerOptions } from "node:http";

/** How long a client may take and how many may be connected at once: what keeps slow clients from holding the server. */
export interface ServerLimits {
  /** The whole request, headers and body, must arrive within this (a slow upload gets 408 and is closed). */
  requestTimeoutMs: number;
  /** The request's headers must arrive within this. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Connections past this many are closed as soon as they are accepted. */
  maxConnections: number;
}

export const defaultServerLimits: ServerLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  // Longer than common load balancers' idle timeout (60 s), so the balancer, not us, closes idle connections.
  keepAliveTimeoutMs: 65_000,
  maxConnections: 1_000,
};

/** How often Node checks the two timeouts (its default, 30 s, would let a request run up to twice its timeout). */
export const timeoutCheckIntervalMs = 1_000;

const settings = {
  requestTimeoutMs: "HTTP_REQUEST_TIMEOUT_MS",
  headersTimeoutMs: "HTTP_HEADERS_TIMEOUT_MS",
  keepAliveTimeoutMs: "HTTP_KEEP_ALIVE_TIMEOUT_MS",
  maxConnections: "HTTP_MAX_CONNECTIONS",
} as const satisfies Record<keyof ServerLimits, string>;

/** The limits from the environment, each defaulting to `defaultServerLimits`; a malformed value stops the start. */
export function serverLimitsFromEnv(env: Record<string, string | undefined> = process.env): ServerLimits {
  const limits = { ...defaultServerLimits };
  for (const [field, name] of Object.entries(settings) as [keyof ServerLimits, string][]) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new Error(`${name} must be a positive whole number, not "${value}".`);
    limits[field] = Number(value);
  }
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new Error("HTTP_HEADERS_TIMEOUT_MS must not be longer than HTTP_REQUEST_TIMEOUT_MS.");
  return limits;
}

/** The options `createServer` takes for the limits (the connection cap is set on the server: see server.ts). */
export function serverOptions(limits: ServerLimits): ServerOptions {
  return {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: limits.headersTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: timeoutCheckIntervalMs,
  };
}
