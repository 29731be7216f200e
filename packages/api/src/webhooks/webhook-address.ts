import { lookup } from "node:dns/promises";
import ipaddr from "ipaddr.js";

/** Why an endpoint's address is refused, in words for the person who typed it (or for the delivery log). */
export class WebhookAddressError extends Error {
  override name = "WebhookAddressError";
}

/** Where an attempt connects: the address checked here, so a DNS answer that changes later is never used. */
export interface WebhookTarget {
  url: URL;
  /** null with WEBHOOK_ALLOW_PRIVATE=1: the host is resolved as usual when connecting. */
  address: { address: string; family: 4 | 6 } | null;
}

/**
 * Only public unicast addresses (ipaddr.js's `unicast` range, after unwrapping IPv4-mapped IPv6): not loopback,
 * private (RFC 1918, CGNAT 100.64/10), link-local, unique-local fc00::/7, unspecified 0.0.0.0/8 and ::,
 * multicast, broadcast, documentation, benchmarking, 6to4/Teredo/NAT64 and other reserved ranges.
 */
function isPublic(address: string): boolean {
  return ipaddr.process(address).range() === "unicast";
}

/**
 * Checks an endpoint's URL and resolves its host, at registration and before every attempt: https only, and
 * every address the host resolves to must be public (one private answer is enough to refuse: a host that
 * mixes them may answer the other next time). With `allowPrivate` (WEBHOOK_ALLOW_PRIVATE=1) any http(s) URL passes.
 */
export async function resolveWebhookTarget(
  text: string,
  allowPrivate: boolean,
  _options: { signal?: AbortSignal } = {},
): Promise<WebhookTarget> {
  const url = new URL(text);
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new WebhookAddressError("The webhook URL must start with https://.");
  }
  if (allowPrivate) return { url, address: null };
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) addresses = [{ address: host, family: host.includes(":") ? 6 : 4 }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch {
      throw new WebhookAddressError(`The webhook URL's host ${host} does not resolve to an address.`);
    }
  }
  const refused = addresses.find((a) => !isPublic(a.address));
  if (refused || addresses.length === 0) {
    throw new WebhookAddressError(
      `The webhook URL's host ${host} resolves to ${refused?.address ?? "no address"}, a loopback, private or otherwise non-public address: webhooks are sent to public addresses only.`,
    );
  }
  const pinned = ipaddr.process(addresses[0]!.address);
  return { url, address: { address: pinned.toString(), family: pinned.kind() === "ipv6" ? 6 : 4 } };
}
