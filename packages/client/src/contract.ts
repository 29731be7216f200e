/**
 * The request and response types of the REST family, under the names Flashback's client uses.
 * Each one is read off the zod schema the server validates with, so the two cannot drift.
 * Only types are imported: nothing of the server or of zod reaches the client's runtime, and the build
 * replaces this file by the expanded types (scripts/build.mjs) so the published declarations stand alone.
 */
import type {
  aiType,
  createRepoAiApiKeyRequest,
  createRepoAiApiKeyResponse,
  createWebhookEndpointRequest,
  createWebhookEndpointResponse,
  deleteRepoAiApiKeyResponse,
  deleteWebhookEndpointResponse,
  getRepoAiApiKeysPageResponse,
  getRepoAiApiKeysResponse,
  getRepoAiApiKeysWithUsageResponse,
  keyPageRequest,
  keysUsage,
  listWebhookDeliveriesRequest,
  listWebhookDeliveriesResponse,
  listWebhookEndpointsResponse,
  PublicError,
  repoAiApiKeyDto,
  resendWebhookDeliveryResponse,
  resumeWebhookEndpointResponse,
  rotateRepoAiApiKeyRequest,
  rotateRepoAiApiKeyResponse,
  rotateWebhookSecretResponse,
  systemEventQueryRequest,
  systemEventQueryResponse,
  systemEventResponse,
  updateRepoAiApiKeyRequest,
  updateRepoAiApiKeyResponse,
  updateWebhookEndpointRequest,
  updateWebhookEndpointResponse,
  verifyAiApiKeyRequest,
  verifyAiApiKeyResponse,
  webhookDeliveryDto,
  webhookEndpointDto,
  webhookEvent,
} from "@repokeys/api";
import type { z } from "zod";

export type AiType = z.output<typeof aiType>;

// Requests are what the server accepts (z.input); responses are what it sends (z.output).
export type CreateRepoAiApiKeyRequest = z.input<typeof createRepoAiApiKeyRequest>;
export type CreateRepoAiApiKeyResponse = z.output<typeof createRepoAiApiKeyResponse>;
export type RepoAiApiKeyDTO = z.output<typeof repoAiApiKeyDto>;
export type GetRepoAiApiKeysResponse = z.output<typeof getRepoAiApiKeysResponse>;
export type UpdateRepoAiApiKeyRequest = z.input<typeof updateRepoAiApiKeyRequest>;
export type UpdateRepoAiApiKeyResponse = z.output<typeof updateRepoAiApiKeyResponse>;
export type DeleteRepoAiApiKeyResponse = z.output<typeof deleteRepoAiApiKeyResponse>;

// Beyond Flashback's family: the list by pages and with usage, rotation with a grace period, and the gateway's verification.
// `limit` is coerced from the query string's text on the server, so its zod input type is `unknown`.
export type GetRepoAiApiKeysPageRequest = {
  limit: NonNullable<z.output<typeof keyPageRequest.limit>>;
  cursor?: z.output<typeof keyPageRequest.cursor>;
};
export type GetRepoAiApiKeysPageResponse = z.output<typeof getRepoAiApiKeysPageResponse>;
export type GetRepoAiApiKeysWithUsageResponse = z.output<typeof getRepoAiApiKeysWithUsageResponse>;
export type KeysUsage = z.output<typeof keysUsage>;
export type RotateRepoAiApiKeyRequest = z.input<typeof rotateRepoAiApiKeyRequest>;
export type RotateRepoAiApiKeyResponse = z.output<typeof rotateRepoAiApiKeyResponse>;
export type VerifyAiApiKeyRequest = z.input<typeof verifyAiApiKeyRequest>;
export type VerifyAiApiKeyResponse = z.output<typeof verifyAiApiKeyResponse>;

export type SystemEventQueryRequest = z.input<typeof systemEventQueryRequest>;
export type SystemEventResponse = z.output<typeof systemEventResponse>;
export type SystemEventQueryResponse = z.output<typeof systemEventQueryResponse>;

// Webhooks of a workspace (OWNER or ADMIN). Path parameters are the methods' arguments, not body fields.
export type WebhookEvent = z.output<typeof webhookEvent>;
export type WebhookEndpoint = z.output<typeof webhookEndpointDto>;
export type WebhookDelivery = z.output<typeof webhookDeliveryDto>;
export type ListWebhookEndpointsResponse = z.output<typeof listWebhookEndpointsResponse>;
export type CreateWebhookEndpointRequest = Omit<z.input<typeof createWebhookEndpointRequest>, "workspaceId">;
export type CreateWebhookEndpointResponse = z.output<typeof createWebhookEndpointResponse>;
export type UpdateWebhookEndpointRequest = Omit<
  z.input<typeof updateWebhookEndpointRequest>,
  "workspaceId" | "endpointId"
>;
export type UpdateWebhookEndpointResponse = z.output<typeof updateWebhookEndpointResponse>;
export type DeleteWebhookEndpointResponse = z.output<typeof deleteWebhookEndpointResponse>;
export type RotateWebhookSecretResponse = z.output<typeof rotateWebhookSecretResponse>;
export type ResumeWebhookEndpointResponse = z.output<typeof resumeWebhookEndpointResponse>;
export type ListWebhookDeliveriesRequest = {
  limit?: NonNullable<z.output<typeof listWebhookDeliveriesRequest.shape.limit>>;
  cursor?: z.output<typeof listWebhookDeliveriesRequest.shape.cursor>;
};
export type ListWebhookDeliveriesResponse = z.output<typeof listWebhookDeliveriesResponse>;
export type ResendWebhookDeliveryResponse = z.output<typeof resendWebhookDeliveryResponse>;

type ServerErrorBody = PublicError["body"];
/**
 * An error body. `code`, `issues` and `current` (a 412's key as it is now) are ours beyond Flashback's `{ success, message }`; they are optional
 * because a body that did not come from our API (a proxy's page, say) carries only the first two.
 */
export type ErrorResponse = Pick<ServerErrorBody, "success" | "message"> &
  Partial<Pick<ServerErrorBody, "code" | "issues" | "current">>;
