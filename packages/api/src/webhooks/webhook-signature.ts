import { createHmac } from "node:crypto";

/**
 * The `Repokeys-Signature` header, Stripe's scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
 * keyed with the endpoint's secret, one `v1` per secret that signs (the current one first, then a rotated-out
 * one within its grace). The timestamp is signed too, so a receiver can refuse old replays.
 */
export function webhookSignatureHeader(secrets: readonly string[], unixSeconds: number, body: string): string {
  const macs = secrets.map((secret) => createHmac("sha256", secret).update(`${unixSeconds}.${body}`).digest("hex"));
  return [`t=${unixSeconds}`, ...macs.map((mac) => `v1=${mac}`)].join(",");
}
