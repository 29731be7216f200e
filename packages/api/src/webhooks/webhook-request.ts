import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { WebhookTarget } from "./webhook-address";

export interface AttemptOutcome {
  /** The answer's status; null when none came (refused, reset, timed out before the headers). */
  statusCode: number | null;
  latencyMs: number;
  /** Why the attempt failed before an answer or while reading it; never a header or body of ours. */
  error: string | null;
}

/** Connects to the address the guard checked whatever DNS answers now (no rebinding between check and connect). */
function pinnedLookup(pinned: NonNullable<WebhookTarget["address"]>): LookupFunction {
  return ((_hostname, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  }) as LookupFunction;
}

/**
 * One POST of a delivery: no redirect followed (node:http never does), one fresh connection, the whole exchange
 * within `signal`'s limit. The answer's body is read and dropped: only its status is kept.
 */
export function postWebhook(
  target: WebhookTarget,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const send = target.url.protocol === "https:" ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ statusCode, latencyMs: Math.round(performance.now() - started), error });
    };
    const describe = (err: Error & { code?: string }) =>
      signal.aborted ? "Timed out before the answer ended." : `${err.code ?? err.name}: ${err.message}`.slice(0, 300);
    const req = send(
      target.url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent: false,
        signal,
        ...(target.address ? { lookup: pinnedLookup(target.address) } : {}),
      },
      (res) => {
        res.on("data", () => {});
        res.on("end", () => finish(res.statusCode ?? null, null));
        res.on("error", (err) => finish(res.statusCode ?? null, describe(err)));
        res.on("close", () => finish(res.statusCode ?? null, res.complete ? null : describe(new Error("closed"))));
      },
    );
    req.on("error", (err) => finish(null, describe(err)));
    req.end(body);
  });
}
