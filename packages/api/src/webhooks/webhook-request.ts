import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import { attemptErrorText, timedOutText } from "./attempt-error";
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

const closedEarlyText = "The connection closed before the answer ended.";

/** What is read of an answer's body (and dropped): past it the answer counts as ended and the socket is closed. */
export const maxAnswerBytes = 64 * 1024;

/**
 * One POST of a delivery: no redirect followed (node:http never does), one fresh connection, the whole exchange
 * within `signal`'s limit: when it aborts, the socket is destroyed whatever state the exchange is in. At most
 * `maxAnswerBytes` of the answer's body are read and dropped: only its status is kept, so an answer that never
 * ends holds the attempt no longer than that takes.
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
    let answered: number | null = null;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ statusCode, latencyMs: Math.round(performance.now() - started), error });
    };
    const describe = (err: NodeJS.ErrnoException) => (signal.aborted ? timedOutText : attemptErrorText(err.code));
    const ended = () => (signal.aborted ? timedOutText : closedEarlyText);
    const req = send(
      target.url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        agent: false,
        ...(target.address ? { lookup: pinnedLookup(target.address) } : {}),
      },
      (res) => {
        answered = res.statusCode ?? null;
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read < maxAnswerBytes) return;
          finish(res.statusCode ?? null, null);
          req.destroy();
        });
        res.on("end", () => finish(res.statusCode ?? null, null));
        res.on("error", (err) => finish(res.statusCode ?? null, describe(err)));
        res.on("close", () => finish(res.statusCode ?? null, res.complete ? null : ended()));
      },
    );
    req.on("error", (err) => finish(null, describe(err)));
    const abort = () => {
      finish(answered, timedOutText);
      req.destroy();
    };
    if (signal.aborted) abort();
    else signal.addEventListener("abort", abort, { once: true });
    req.on("close", () => signal.removeEventListener("abort", abort));
    req.end(body);
  });
}
