import { Resolver } from "node:dns/promises";

/** Where and how long webhook hosts are looked up (docs/webhooks.md). */
export interface WebhookDnsSettings {
  /** `WEBHOOK_DNS_SERVERS`: the servers asked; empty: the system's (`/etc/resolv.conf`). */
  dnsServers: string[];
  /** `WEBHOOK_DNS_TIMEOUT_MS`: the most one host's lookup (A and AAAA together) may take. */
  dnsTimeoutMs: number;
}

/** The servers did not answer in time, or failed: said apart from "no such host", which is the address rule's refusal. */
export class WebhookDnsUnanswered extends Error {
  override name = "WebhookDnsUnanswered";
}

/** c-ares's codes for "the name has no such record": an answer, not a failure. */
const noRecord = new Set(["ENODATA", "ENOTFOUND", "ENONAME"]);

async function answers(query: Promise<string[]>): Promise<string[] | Error> {
  try {
    return await query;
  } catch (err) {
    if (err instanceof Error && noRecord.has((err as NodeJS.ErrnoException).code ?? "")) return [];
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * The host's A and AAAA addresses, asked of the DNS servers directly with c-ares (`dns.Resolver`): unlike
 * `dns.lookup`, no thread of libuv's small pool waits on a server that never answers, so one such host cannot
 * hold up lookups of others or anything else on that pool. Each call has its own resolver, so cancelling it (on
 * `signal`, or past `dnsTimeoutMs`) ends this lookup only. A record type that fails while the other answers is
 * left out: the caller connects only to an address it was given and checked. /etc/hosts is not read.
 */
export async function resolveHostAddresses(
  host: string,
  settings: WebhookDnsSettings,
  signal?: AbortSignal,
): Promise<string[]> {
  signal?.throwIfAborted();
  // Two tries, each half the limit: one lost UDP packet does not fail the lookup.
  const resolver = new Resolver({ timeout: Math.max(1, Math.ceil(settings.dnsTimeoutMs / 2)), tries: 2 });
  if (settings.dnsServers.length) resolver.setServers(settings.dnsServers);
  // The deadline is a timer this call holds, not AbortSignal.timeout joined by AbortSignal.any: a composite signal
  // holds its sources weakly, so after a garbage collection the timeout might never fire.
  const cancel = () => resolver.cancel();
  const timer = setTimeout(cancel, settings.dnsTimeoutMs);
  signal?.addEventListener("abort", cancel, { once: true });
  try {
    const [v4, v6] = await Promise.all([answers(resolver.resolve4(host)), answers(resolver.resolve6(host))]);
    signal?.throwIfAborted();
    const found = [...(Array.isArray(v4) ? v4 : []), ...(Array.isArray(v6) ? v6 : [])];
    if (found.length === 0 && (v4 instanceof Error || v6 instanceof Error)) {
      throw new WebhookDnsUnanswered(`no answer within ${settings.dnsTimeoutMs} ms`);
    }
    return found;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", cancel);
  }
}
