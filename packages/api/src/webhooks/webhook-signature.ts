import { createHmac } from "node:crypto";

/**
 * The `Repokeys-Signature` header, Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * keyed with the endpoint's secret. The timestamp is signed too, so a receiver can refuse old replays.
 */
export function webhookSignatureHeader(secret: string, unixSeconds: number, body: string): string {
  const mac = createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex");
  return `t=${unixSeconds},v1=${mac}`;
}
