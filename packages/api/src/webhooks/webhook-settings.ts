import { Resolver } from "node:dns/promises";
import type { WebhookDnsSettings } from "./webhook-dns";

/** How webhooks are delivered; every value has an environment variable (docs/webhooks.md), so tests run fast. */
export interface WebhookSettings extends WebhookDnsSettings {
  /** `WEBHOOK_ALLOW_PRIVATE=1`: endpoints may be http:// and on loopback or private addresses (tests, a LAN). */
  allowPrivate: boolean;
  /** `WEBHOOK_TIMEOUT_MS`: one attempt's limit, from connecting to the end of the answer. */
  timeoutMs: number;
  /** `WEBHOOK_RETRY_BASE_MS`: the first wait after a failed attempt; later ones double… */
  retryBaseMs: number;
  /** `WEBHOOK_RETRY_MAX_MS`: …up to this. */
  retryMaxMs: number;
  /** `WEBHOOK_RETRY_WINDOW_MS`: how long after its event (or its resend) a delivery is retried before it fails. */
  retryWindowMs: number;
  /**
   * `WEBHOOK_LEASE_MS`: how long an attempt is claimed by the instance sending it. An instance killed mid-attempt
   * leaves it due again this long after the claim, so nothing is lost. Longer than the timeout.
   */
  leaseMs: number;
  /** `WEBHOOK_POLL_MS`: how often each instance looks for due deliveries. */
  pollMs: number;
  /**
   * `WEBHOOK_EXPIRING_SWEEP_MS`: how often each instance queues `apikey.expiring` events (once each per key), and
   * trims over-full queues and prunes the log.
   */
  expiringSweepMs: number;
  /** `WEBHOOK_CONCURRENCY`: attempts one instance has out at once; one workspace takes at most half of them. */
  concurrency: number;
  /** `WEBHOOK_PAUSE_AFTER_FAILURES`: attempts to one endpoint failed in a row that pause it until resumed. */
  pauseAfterFailures: number;
  /** `WEBHOOK_MAX_QUEUED_PER_WORKSPACE`: deliveries a workspace may have waiting; the newest past it are dropped. */
  maxQueuedPerWorkspace: number;
  /** `WEBHOOK_LOG_RETENTION_DAYS`: how long a delivered or failed delivery stays in the log. */
  logRetentionDays: number;
  /**
   * `WEBHOOK_DNS_LOOKUPS_PER_WORKSPACE`: address checks one workspace's registrations may have under way at once
   * on one instance; past it they are refused with 429, so one workspace's slow names cannot pile up.
   */
  dnsLookupsPerWorkspace: number;
}

export const defaultWebhookSettings: WebhookSettings = {
  allowPrivate: false,
  timeoutMs: 10_000,
  retryBaseMs: 30_000,
  retryMaxMs: 3_600_000,
  retryWindowMs: 86_400_000,
  leaseMs: 60_000,
  pollMs: 1_000,
  expiringSweepMs: 60_000,
  concurrency: 10,
  pauseAfterFailures: 30,
  maxQueuedPerWorkspace: 5_000,
  logRetentionDays: 30,
  dnsServers: [],
  dnsTimeoutMs: 5_000,
  dnsLookupsPerWorkspace: 4,
};

type Duration =
  | "timeoutMs"
  | "retryBaseMs"
  | "retryMaxMs"
  | "retryWindowMs"
  | "leaseMs"
  | "pollMs"
  | "expiringSweepMs"
  | "dnsTimeoutMs";
type Count =
  | "concurrency"
  | "pauseAfterFailures"
  | "maxQueuedPerWorkspace"
  | "logRetentionDays"
  | "dnsLookupsPerWorkspace";

const durations: Record<Duration, string> = {
  timeoutMs: "WEBHOOK_TIMEOUT_MS",
  retryBaseMs: "WEBHOOK_RETRY_BASE_MS",
  retryMaxMs: "WEBHOOK_RETRY_MAX_MS",
  retryWindowMs: "WEBHOOK_RETRY_WINDOW_MS",
  leaseMs: "WEBHOOK_LEASE_MS",
  pollMs: "WEBHOOK_POLL_MS",
  expiringSweepMs: "WEBHOOK_EXPIRING_SWEEP_MS",
  dnsTimeoutMs: "WEBHOOK_DNS_TIMEOUT_MS",
};

/** Each count's variable and its largest value. */
const counts: Record<Count, [string, number]> = {
  concurrency: ["WEBHOOK_CONCURRENCY", 1_000],
  pauseAfterFailures: ["WEBHOOK_PAUSE_AFTER_FAILURES", 1_000_000],
  maxQueuedPerWorkspace: ["WEBHOOK_MAX_QUEUED_PER_WORKSPACE", 10_000_000],
  logRetentionDays: ["WEBHOOK_LOG_RETENTION_DAYS", 36_500],
  dnsLookupsPerWorkspace: ["WEBHOOK_DNS_LOOKUPS_PER_WORKSPACE", 1_000],
};

/** `WEBHOOK_DNS_SERVERS`: comma-separated, as `dns.setServers` takes them (`1.1.1.1`, `[2606:4700::1111]:53`). */
function dnsServersFromEnv(text: string | undefined): string[] {
  const servers = (text ?? "")
    .split(",")
    .map((server) => server.trim())
    .filter(Boolean);
  try {
    new Resolver().setServers(servers);
  } catch {
    throw new Error(
      `WEBHOOK_DNS_SERVERS must be DNS server addresses separated by commas (e.g. 1.1.1.1,[2606:4700::1111]:53), not "${text}".`,
    );
  }
  return servers;
}

function wholeNumber(name: string, text: string, max: number, unit: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name} must be a whole number${unit} from 1 to ${max}, not "${text}".`);
  }
  return value;
}

export function webhookSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): WebhookSettings {
  const settings = {
    ...defaultWebhookSettings,
    allowPrivate: env.WEBHOOK_ALLOW_PRIVATE === "1",
    dnsServers: dnsServersFromEnv(env.WEBHOOK_DNS_SERVERS),
  };
  for (const [field, name] of Object.entries(durations) as [Duration, string][]) {
    const text = env[name];
    if (text) settings[field] = wholeNumber(name, text, 7 * 86_400_000, " of milliseconds");
  }
  for (const [field, [name, max]] of Object.entries(counts) as [Count, [string, number]][]) {
    const text = env[name];
    if (text) settings[field] = wholeNumber(name, text, max, "");
  }
  if (settings.leaseMs <= settings.timeoutMs) {
    throw new Error(
      `WEBHOOK_LEASE_MS (${settings.leaseMs}) must be longer than WEBHOOK_TIMEOUT_MS (${settings.timeoutMs}).`,
    );
  }
  return settings;
}
