import { initTRPC, type TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { ZodType } from "zod";
import type { Context } from "./context";
import { domainErrors } from "./errors/domain-errors";
import { toPublicError } from "./errors/public-error";
import { RateLimitedError } from "./errors/rate-limited";

export type ApiMeta = OpenApiMeta<{
  /** The REST status of a success when it is not 200 (e.g. 201 for a create). */
  successStatus?: number;
  /**
   * The errors this procedure's own rules raise, beyond those every REST call can get (400, 401, 429, 500,
   * 503, and 413/415 where there is a body): the OpenAPI document lists their statuses, with each as an example.
   */
  errors?: readonly (() => TRPCError)[];
  /**
   * A GET whose answer has an ETag and honours `If-None-Match` with 304, or a change that honours `If-Match`
   * with 412 (the procedure reads and sets `ctx.conditional`).
   */
  conditional?: boolean;
  /**
   * The answer's schema, for the OpenAPI document only, on a procedure that answers with JSON text the
   * database built (`withPrebuiltJson`) and so has no `.output()` validator to run on every call.
   */
  documentedOutput?: ZodType;
}>;

/**
 * The most calls one tRPC request may batch (more is a 400). With the rate limit counted per call, this bounds
 * what a single request can make the server do; the web app's batch link sends at most this many.
 */
export const maxTrpcBatchSize = 10;

/** The adapter's refusal of a larger batch, reworded to say what the limit is. */
const batchTooLarge = (error: TRPCError) =>
  error.code === "BAD_REQUEST" && error.message === "Batch call exceeds maximum size"
    ? `A request may batch at most ${maxTrpcBatchSize} calls. Send them in several requests.`
    : undefined;

const t = initTRPC
  .context<Context>()
  .meta<ApiMeta>()
  .create({
    // The same public message over tRPC as over REST; never a stack or an internal message.
    errorFormatter: ({ shape, error, ctx }) => {
      const { status, body } = toPublicError(error, ctx?.requestId ?? "unknown");
      return {
        ...shape,
        message: batchTooLarge(error) ?? body.message,
        // tRPC answers with this status, so a database outage is a 503 here as over REST.
        data: { code: body.code, httpStatus: status, path: shape.data.path, issues: body.issues },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/**
 * Every procedure that touches data: the actor is known from here on (a gateway token gets no further). Each call counts against its caller's
 * rate limit (an API token by its id, a web session by its user), so that a tRPC batch of n calls costs n,
 * exactly like n REST requests. In-process calls (the admin command line, scripts) are not limited.
 */
export const protectedProcedure = t.procedure.use(async ({ ctx, next }) => {
  if (!ctx.actor) throw ctx.gateway ? domainErrors.gatewayTokenOnlyVerifies() : domainErrors.unauthenticated();
  const { credential } = ctx;
  const limitKey =
    credential.kind === "token"
      ? `token:${credential.tokenId}`
      : credential.kind === "session"
        ? `user:${ctx.actor.userId}`
        : undefined;
  if (limitKey) {
    const limit = ctx.services.rateLimits.calls;
    const verdict = await limit.consume(limitKey);
    if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds, limit.description);
  }
  // tRPC merges this into the context itself: no copy of ours on top of its own.
  return next({ ctx: { actor: ctx.actor } });
});

/**
 * Procedures that manage credentials (API tokens): a signed-in person in the web app, or the operator's
 * in-process call, never a bearer token. Otherwise a stolen token could mint itself a successor that never
 * expires, or revoke its owner's other tokens.
 */
export const credentialManagementProcedure = protectedProcedure.use(({ ctx, next }) => {
  if (ctx.credential.kind === "token") throw domainErrors.tokenCannotManageTokens();
  return next();
});

/**
 * What an AI gateway may call, with a gateway token only: a person's token or session cannot. Each call counts
 * against the token's own verification limit (by its id), so a leaked token cannot be used without bound and
 * one gateway's flood never spends another's budget.
 */
export const gatewayProcedure = t.procedure.use(async ({ ctx, next }) => {
  if (!ctx.gateway) throw ctx.actor ? domainErrors.personalTokenCannotVerify() : domainErrors.unauthenticated();
  const limit = ctx.services.rateLimits.verifications;
  const verdict = await limit.consume(ctx.gateway.tokenId);
  if (!verdict.allowed) throw new RateLimitedError(verdict.retryAfterSeconds, limit.description);
  return next({ ctx: { gateway: ctx.gateway } });
});
