import type { IncomingMessage } from "node:http";
import ipaddr from "ipaddr.js";

/**
 * Where server.ts puts the client's address for Auth.js's `authorize`, which only sees a Fetch `Request` rebuilt
 * from the headers. server.ts always overwrites it, so a client can never choose its own address.
 */
export const clientAddressHeader = "x-repokeys-client-address";

/**
 * `TRUST_PROXY=1`: the app sits behind exactly one reverse proxy that appends the address it saw to
 * X-Forwarded-For, so the right-most entry (the only one a client cannot forge) is the client. Unset, the socket's
 * remote address is the client and X-Forwarded-For is ignored: trusting it without a proxy would let every
 * request name a fresh address and escape the per-address sign-in limit.
 */
export function trustProxyFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.TRUST_PROXY ?? "";
  if (value === "" || value === "0") return false;
  if (value === "1") return true;
  throw new Error(`TRUST_PROXY must be 1 (behind one reverse proxy) or 0 (clients connect directly), not "${value}".`);
}

/**
 * The address as every per-address limit counts it: an IPv6 client by its /64, since one subscriber usually gets
 * a whole /64 and could otherwise take a fresh address for every request; an IPv4-mapped IPv6 address as the
 * IPv4 address it is. Anything that does not parse is kept as it is.
 */
export function addressForLimits(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === "ipv4") return parsed.toString();
  const prefix = ipaddr.IPv6.networkAddressFromCIDR(`${parsed.toString()}/64`);
  return `${prefix.toString()}/64`;
}

/**
 * Puts the request's client address, as the limits count it (`addressForLimits`), in `clientAddressHeader`,
 * replacing whatever the client sent there.
 */
export function stampClientAddress(req: IncomingMessage, trustProxy: boolean): string {
  // String(): the header may have been sent more than once, and its entries are separated by commas either way.
  const forwarded = trustProxy
    ? String(req.headers["x-forwarded-for"] ?? "")
        .split(",")
        .at(-1)
        ?.trim()
    : undefined;
  // The socket's address is only missing once the connection is gone; the request goes nowhere then.
  const address = addressForLimits(forwarded || req.socket.remoteAddress || "unknown");
  req.headers[clientAddressHeader] = address;
  return address;
}

/** The address server.ts stamped; its absence means the app was started without server.ts. */
export function readClientAddress(request: Request): string {
  const address = request.headers.get(clientAddressHeader);
  if (!address) throw new Error(`No ${clientAddressHeader} header: start the app with server.ts (pnpm start).`);
  return address;
}
