import { type WebhookEvent, webhookEvents } from "@repokeys/api/schemas";

/** How each event reads in the UI; a `Record` so that an event added to the API fails the typecheck here. */
export const webhookEventLabels: Record<WebhookEvent, string> = {
  "apikey.created": "Key created",
  "apikey.updated": "Key updated",
  "apikey.rotated": "Key rotated",
  "apikey.deleted": "Key deleted",
  "apikey.expiring": "Key expires in 7 days",
};

/** The events in the server's order, as the forms offer them. */
export const webhookEventNames: readonly WebhookEvent[] = webhookEvents;

/** An event's label, or its name when this build does not know it (the server is newer). */
export const eventLabel = (event: string) => webhookEventLabels[event as WebhookEvent] ?? event;
