/**
 * The request and response schemas alone, for the web app's browser bundle: its forms check input with the same
 * rules as the server. Only zod is imported here, never server code (database, crypto, logging).
 */
export * from "./ai-api-key";
export * from "./api-token";
export * from "./common";
export * from "./key-usage";
export * from "./system-event";
export * from "./webhook";
