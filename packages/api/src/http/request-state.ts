import type { RouteMetrics } from "../metrics/api-metrics";

/** What the request log line and the request metrics need to learn while a request is handled. */
export interface RequestState {
  requestId: string;
  /** The client's address (behind a trusted proxy, the one it saw): per-address limits count by it. */
  clientAddress: string;
  userId?: string;
  /** The route pattern the request matched, for its duration metric; unset: it matched none. */
  route?: RouteMetrics;
}
