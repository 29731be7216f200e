import ipaddr from "ipaddr.js";
import { resolveHostAddresses, type WebhookDnsSettings, WebhookDnsUnanswered } from "./webhook-dns";

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

export interface ResolveWebhookTargetOptions {
  /** Ends the lookup (its DNS queries are cancelled) and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The DNS servers and timeout to look names up with (the app's webhook settings). */
  dns: WebhookDnsSettings;
}

/** IPv6's global unicast space: outside it are IPv4-compatible (::/96), NAT64 local-use and other non-global forms. */
const globalUnicastV6 = ipaddr.parseCIDR("2000::/3");

/**
 * Only global unicast addresses. ipaddr.js's `unicast` range excludes loopback, private (RFC 1918, CGNAT
 * 100.64/10), link-local, unique-local fc00::/7, unspecified, multicast, broadcast, documentation,
 * benchmarking, 6to4, Teredo, NAT64 and other reserved ranges; IPv4-mapped addresses are judged as the IPv4
 * address they carry, and IPv6 must also be within 2000::/3, which ipaddr.js alone lets past (e.g. ::7f00:1).
 */
function isGlobalUnicast(address: string): boolean {
  const ip = ipaddr.process(address);
  if (ip.range() !== "unicast") return false;
  return ip.kind() === "ipv4" || (ip as ipaddr.IPv6).match(globalUnicastV6);
}

/** RFC 6761: `localhost` and its subdomains are loopback, whatever a DNS server says. */
const isLocalhostName = (host: string) => /(^|\.)localhost\.?$/i.test(host);

/**
 * Checks an endpoint's URL and resolves its host, at registration and before every attempt: https only, and
 * every address the host resolves to must be global unicast (one other answer is enough to refuse: a host that
 * mixes them may answer the other next time). With `allowPrivate` (WEBHOOK_ALLOW_PRIVATE=1) any http(s) URL
 * passes. Refusals name the host as typed, never an address it resolved to: they would map the server's DNS.
 */
export async function resolveWebhookTarget(
  text: string,
  allowPrivate: boolean,
  options: ResolveWebhookTargetOptions,
): Promise<WebhookTarget> {
  const url = new URL(text);
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    throw new WebhookAddressError("The webhook URL must start with https://.");
  }
  if (allowPrivate) return { url, address: null };
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const refused = new WebhookAddressError(
    `The webhook URL's host ${host} is not a public address, nor a name that resolves only to public addresses.`,
  );
  let addresses: string[];
  if (ipaddr.isValid(host)) addresses = [host];
  else if (isLocalhostName(host)) throw refused;
  else {
    try {
      addresses = await resolveHostAddresses(host, options.dns, options.signal);
    } catch (err) {
      if (err instanceof WebhookDnsUnanswered) {
        throw new WebhookAddressError(
          `The webhook URL's host ${host} could not be looked up: its DNS servers did not answer in time. Try again later.`,
        );
      }
      throw err;
    }
  }
  if (addresses.length === 0 || !addresses.every(isGlobalUnicast)) throw refused;
  const pinned = ipaddr.process(addresses[0]!);
  return { url, address: { address: pinned.toString(), family: pinned.kind() === "ipv6" ? 6 : 4 } };
}
