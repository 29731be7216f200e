import { initTRPC, type TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { Context } from "./context";
import { domainErrors } from "./errors/domain-errors";
import { toPublicError } from "./errors/public-error";

export type ApiMeta = OpenApiMeta<{
  /** The REST status of a success when it is not 200 (e.g. 201 for a create). */
  successStatus?: number;
  /**
   * The errors this procedure's own rules raise, beyond those every REST call can get (400, 401, 429, 500,
   * 503, and 413/415 where there is a body): the OpenAPI document lists their statuses, with each as an example.
   */
  errors?: readonly (() => TRPCError)[];
  /** A GET whose answer has an ETag and honours `If-None-Match` with 304 (the procedure sets `ctx.conditional`). */
  conditional?: boolean;
}>;

const t = initTRPC
  .context<Context>()
  .meta<ApiMeta>()
  .create({
    // The same public message over tRPC as over REST; never a stack or an internal message.
    errorFormatter: ({ shape, error, ctx }) => {
      const { status, body } = toPublicError(error, ctx?.requestId ?? "unknown");
      return {
        ...shape,
        message: body.message,
        // tRPC answers with this status, so a database outage is a 503 here as over REST.
        data: { code: body.code, httpStatus: status, path: shape.data.path, issues: body.issues },
      };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

/** Every procedure that touches data: the actor is known from here on. A gateway token gets no further. */
export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.actor) throw ctx.gateway ? domainErrors.gatewayTokenOnlyVerifies() : domainErrors.unauthenticated();
  return next({ ctx: { ...ctx, actor: ctx.actor } });
});

/** What an AI gateway may call, with a gateway token only: a person's token or session cannot. */
export const gatewayProcedure = t.procedure.use(({ ctx, next }) => {
  if (ctx.gateway) return next({ ctx: { ...ctx, gateway: ctx.gateway } });
  throw ctx.actor ? domainErrors.personalTokenCannotVerify() : domainErrors.unauthenticated();
});
