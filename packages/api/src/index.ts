export type { Actor, AuthedContext, Channel, Context } from "./context";
export { typedCallContext } from "./context";
export {
  type ApiRequestHandler,
  type ApiRequestHandlerOptions,
  createApiRequestHandler,
} from "./http/api-request-handler";
export { buildOpenApiDocument } from "./http/openapi";
export { maxRestBodyBytes } from "./http/request-body";
export type { SessionResolver } from "./http/trpc-handler";
export { createLogger, type Logger } from "./logging/logger";
export { type AppRouter, appRouter, createCaller } from "./root";
export * from "./schemas/ai-api-key";
export * from "./schemas/api-token";
export * from "./schemas/system-event";
export {
  type ApiServices,
  type ApiSettings,
  apiSettingsFromEnv,
  createApiServices,
  startApiServices,
} from "./services";
