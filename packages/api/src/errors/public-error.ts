import type { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError, z } from "zod";
import { isDatabaseUnavailable } from "./database-unavailable";
import { RateLimitedError } from "./rate-limited";
import { StaleVersion } from "./stale-version";

/** The body of every error answer, REST and tRPC alike; the OpenAPI document publishes this schema. */
export const publicErrorBodySchema = z
  .object({
    success: z.literal(false),
    code: z.string().describe("tRPC error code, e.g. BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND"),
    message: z.string().describe("What went wrong, in words a person can act on"),
    issues: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe("One entry per invalid field (400 only)"),
    current: z
      .object({ name: z.string(), version: z.string() })
      .optional()
      .describe("412 only: the key as it is now, after the change your copy missed"),
  })
  .strict();

export interface PublicError {
  status: number;
  body: z.infer<typeof publicErrorBodySchema> & { code: TRPCError["code"] };
  /** Response headers the error calls for (`Retry-After`). */
  headers: Record<string, string>;
}

/** What a client waits before retrying while the database is away: about one pool connection timeout. */
export const databaseRetryAfterSeconds = 5;

/**
 * What a caller may see of an error: our own messages as written; validation failures as a sentence
 * per problem; a database that is away as a 503 to retry; anything else unexpected as a generic message
 * with the request id, never its internals.
 */
export function toPublicError(error: TRPCError, requestId: string): PublicError {
  const status = getHTTPStatusCodeFromError(error);
  if (error.cause instanceof ZodError) {
    const issues = error.cause.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    return {
      status,
      body: { success: false, code: error.code, message: issues.map((i) => i.message).join(" "), issues },
      headers: {},
    };
  }
  if (error instanceof RateLimitedError) {
    return {
      status,
      body: { success: false, code: error.code, message: error.message },
      headers: { "retry-after": String(error.retryAfterSeconds) },
    };
  }
  if (error.cause instanceof StaleVersion) {
    const { current } = error.cause;
    return {
      status,
      body: { success: false, code: error.code, message: error.message, current },
      headers: { etag: `"${current.version}"` },
    };
  }
  if (status >= 500 && isDatabaseUnavailable(error.cause ?? error)) {
    return {
      status: 503,
      body: {
        success: false,
        code: "SERVICE_UNAVAILABLE",
        message: `The database is unavailable or overloaded right now, so this request could not be completed. Try again in a few seconds (request id ${requestId}).`,
      },
      headers: { "retry-after": String(databaseRetryAfterSeconds) },
    };
  }
  if (status >= 500) {
    return {
      status,
      body: {
        success: false,
        code: error.code,
        message: `Something went wrong on our side and nothing was changed. Try again; if it keeps failing, give your operator the request id ${requestId}.`,
      },
      headers: {},
    };
  }
  return { status, body: { success: false, code: error.code, message: error.message }, headers: {} };
}
