import { z } from "zod";
import { entityId, storableText } from "./common";

/** The key events an endpoint can subscribe to; `apikey.expiring` is sent once per key, 7 days before it expires. */
export const webhookEvents = [
  "apikey.created",
  "apikey.updated",
  "apikey.rotated",
  "apikey.deleted",
  "apikey.expiring",
] as const;
export const webhookEvent = z.enum(webhookEvents, { error: `Each event must be one of ${webhookEvents.join(", ")}.` });
export type WebhookEvent = z.infer<typeof webhookEvent>;

/** Endpoints one workspace may have: creating one more is refused. */
export const maxWebhookEndpointsPerWorkspace = 50;
export const webhookUrlMaxLength = 2048;
export const maxWebhookDeliveryPageSize = 100;
export const defaultWebhookDeliveryPageSize = 25;

export const workspaceId = entityId("workspaceId");
export const webhookEndpointId = entityId("endpointId");
export const webhookDeliveryId = entityId("deliveryId");

/**
 * An endpoint's address as typed: an absolute http(s) URL without credentials. The server also requires https
 * (http only with WEBHOOK_ALLOW_PRIVATE=1) and a host that resolves to public addresses only.
 */
export const webhookUrl = storableText("url")
  .trim()
  .min(1, "url must not be empty.")
  .max(webhookUrlMaxLength, `url must be at most ${webhookUrlMaxLength} characters.`)
  .refine((value) => URL.canParse(value), "url must be an absolute URL, e.g. https://example.com/hooks/repokeys.")
  .refine(
    (value) => !URL.canParse(value) || ["https:", "http:"].includes(new URL(value).protocol),
    "url must start with https://.",
  )
  .refine((value) => {
    if (!URL.canParse(value)) return true;
    const url = new URL(value);
    return url.username === "" && url.password === "";
  }, "url must not hold a user name or password: authenticate the deliveries by their signature.");

export const webhookEventList = z
  .array(webhookEvent, { error: "events must be a list of event names." })
  .min(1, "Choose at least one event.")
  .max(webhookEvents.length, `events holds at most the ${webhookEvents.length} event names.`)
  .refine((events) => new Set(events).size === events.length, "events must not name an event twice.");

export const webhookDeliveryStatuses = ["pending", "retrying", "delivered", "failed"] as const;
export const webhookDeliveryStatus = z.enum(webhookDeliveryStatuses);

/** An endpoint as lists show it: never its secret. */
export const webhookEndpointDto = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  createdAt: z.string().describe("ISO 8601"),
  secretRotatedAt: z.string().nullable().describe("ISO 8601; null: the secret is the one made with the endpoint"),
  lastDelivery: z
    .object({ status: webhookDeliveryStatus, at: z.string().describe("ISO 8601") })
    .nullable()
    .describe("The newest delivery's status and when it was last tried (or queued); null: none yet"),
  pausedAt: z
    .string()
    .nullable()
    .describe("ISO 8601; set when attempts failed too often in a row: nothing is sent until it is resumed"),
  failuresInARow: z.number().int().describe("Attempts failed in a row; after each, the endpoint waits longer"),
  droppedDeliveries: z
    .number()
    .int()
    .describe("Deliveries not sent because the workspace had too many waiting (WEBHOOK_MAX_QUEUED_PER_WORKSPACE)"),
});
export type WebhookEndpointDto = z.infer<typeof webhookEndpointDto>;

export const webhookDeliveryDto = z.object({
  id: z.string(),
  eventId: z.string().describe("The same on every attempt and resend: the receiver drops duplicates by it"),
  event: z.string(),
  status: webhookDeliveryStatus.describe('"failed": given up after 24 hours of retries'),
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastLatencyMs: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastAttemptAt: z.string().nullable().describe("ISO 8601"),
  nextAttemptAt: z.string().nullable().describe("ISO 8601; null: delivered or failed"),
  createdAt: z.string().describe("ISO 8601"),
});
export type WebhookDeliveryDto = z.infer<typeof webhookDeliveryDto>;

const webhookSecret = z.string().describe("`whsec_…`: shown in this response only; it signs every delivery");

export const listWebhookEndpointsRequest = z.strictObject({ workspaceId });
export const listWebhookEndpointsResponse = z.object({ endpoints: z.array(webhookEndpointDto) });

export const createWebhookEndpointRequest = z.strictObject({ workspaceId, url: webhookUrl, events: webhookEventList });
export const createWebhookEndpointResponse = z.object({ endpoint: webhookEndpointDto, secret: webhookSecret });

export const updateWebhookEndpointRequest = z.strictObject({
  workspaceId,
  endpointId: webhookEndpointId,
  url: webhookUrl.optional(),
  events: webhookEventList.optional(),
});
export const updateWebhookEndpointResponse = z.object({ endpoint: webhookEndpointDto });

export const deleteWebhookEndpointRequest = z.strictObject({ workspaceId, endpointId: webhookEndpointId });
export const deleteWebhookEndpointResponse = z.object({ success: z.literal(true) });

export const rotateWebhookSecretRequest = z.strictObject({ workspaceId, endpointId: webhookEndpointId });
export const rotateWebhookSecretResponse = z.object({ secret: webhookSecret });

export const resumeWebhookEndpointRequest = z.strictObject({ workspaceId, endpointId: webhookEndpointId });
export const resumeWebhookEndpointResponse = z.object({ endpoint: webhookEndpointDto });

export const listWebhookDeliveriesRequest = z.strictObject({
  workspaceId,
  endpointId: webhookEndpointId,
  cursor: z
    .string({ error: "cursor must be a string." })
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "cursor must be a nextCursor this server gave, passed on as it is.")
    .optional()
    .describe("The previous page's nextCursor"),
  limit: z.coerce
    .number({ error: "limit must be a whole number." })
    .int("limit must be a whole number.")
    .min(1, "limit must be at least 1.")
    .max(maxWebhookDeliveryPageSize, `limit must be at most ${maxWebhookDeliveryPageSize}.`)
    .optional()
    .describe(`Page size (1…${maxWebhookDeliveryPageSize}, default ${defaultWebhookDeliveryPageSize})`),
});
export const listWebhookDeliveriesResponse = z.object({
  deliveries: z.array(webhookDeliveryDto),
  nextCursor: z.string().nullable().describe("Pass as cursor for the next (older) page; null: this was the last"),
});

export const resendWebhookDeliveryRequest = z.strictObject({ workspaceId, deliveryId: webhookDeliveryId });
export const resendWebhookDeliveryResponse = z.object({ delivery: webhookDeliveryDto });
