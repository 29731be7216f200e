import type { WebhookDeliveryDto } from "@repokeys/api";

/** While a shown delivery's attempt is due soon, its list is asked again this often: its status is about to change. */
export const deliveryPollMs = 3_000;

/** A retry further off than this is not polled for (retries back off to an hour); Refresh still asks at once. */
const dueSoonMs = 60_000;

/** Whether a delivery's next attempt is now or within a minute. */
export const dueSoon = (d: Pick<WebhookDeliveryDto, "status" | "nextAttemptAt">, now = Date.now()) =>
  d.status === "pending" ||
  (d.status === "retrying" && d.nextAttemptAt !== null && Date.parse(d.nextAttemptAt) - now < dueSoonMs);
