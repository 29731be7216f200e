export { type AdminSocketServer, serveAdminCommands } from "./admin/admin-socket-server";
export { systemEventListStatement, systemEventTotal } from "./audit/system-event-query";
export type { Actor, AuthedContext, Channel, Context, Credential, GatewayContext } from "./context";
export { typedCallContext } from "./context";
export { loadCredentialCheck } from "./credentials/credential-check-key";
export type { PublicError } from "./errors/public-error";
export { KeyUsage, type KeyUsageOptions, type UsageOutcome } from "./gateway/key-usage";
export { type KeyVerdict, KeyVerifier, type KeyVerifierOptions } from "./gateway/key-verifier";
export {
  type ApiRequestHandler,
  type ApiRequestHandlerOptions,
  createApiRequestHandler,
} from "./http/api-request-handler";
export { answerMalformedRequest } from "./http/malformed-request";
export { buildOpenApiDocument } from "./http/openapi";
export { maxRestBodyBytes } from "./http/request-body";
export { maxTrpcBatchSize, type SessionResolver } from "./http/trpc-handler";
export { createLogger, createServerLogger, type Logger } from "./logging/logger";
export { ApiMetrics, otherRoutes, RouteMetrics } from "./metrics/api-metrics";
export {
  type MetricsServer,
  type MetricsSettings,
  metricsSettingsFromEnv,
  serveMetrics,
} from "./metrics/metrics-server";
export {
  noRateLimits,
  type RateLimitSettings,
  rateLimitSettingsFromEnv,
  signInWindowSeconds,
} from "./rate-limit/rate-limit-settings";
export { RateLimit, type RateLimits, type RateLimitVerdict, SignInLimit } from "./rate-limit/rate-limits";
export { type AppRouter, appRouter, createCaller } from "./root";
export * from "./schemas/ai-api-key";
export * from "./schemas/api-token";
export * from "./schemas/key-usage";
export * from "./schemas/key-verification";
export * from "./schemas/system-event";
export * from "./schemas/webhook";
export { listedAiApiKeyJsonSql } from "./serialization/ai-api-key-json-sql";
export { compactJsonArraySql } from "./serialization/compact-json-sql";
export { keyListVersionSql, nextKeyVersionSql } from "./serialization/key-versions-sql";
export {
  type ApiServices,
  type ApiSettings,
  apiSettingsFromEnv,
  createApiServices,
  startApiServices,
} from "./services";
export { WebhookWorker } from "./webhooks/delivery-worker";
export { keyEventDeliveriesCte } from "./webhooks/key-event-deliveries-sql";
export { defaultWebhookSettings, type WebhookSettings, webhookSettingsFromEnv } from "./webhooks/webhook-settings";
