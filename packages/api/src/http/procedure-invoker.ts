import { type AnyProcedure, getTRPCErrorFromUnknown } from "@trpc/server";
import type { Context } from "../context";

type Result = { ok: true; data: unknown } | { ok: false; error: unknown };
interface NextOptions {
  ctx?: object;
  input?: unknown;
  getRawInput?: () => Promise<unknown>;
}
interface MiddlewareOptions {
  ctx: object;
  type: string;
  path: string;
  input: unknown;
  getRawInput: () => Promise<unknown>;
  meta: unknown;
  signal: undefined;
  next: (options?: NextOptions) => Promise<Result>;
}
type Middleware = (options: MiddlewareOptions) => Promise<Result>;

/**
 * Calls one procedure the way `createCaller` does: the same middleware chain (the error formatter, our
 * authorization and rate-limit middlewares, the input and output validators, the handler), in the same order,
 * with the same `next` contract. Why not `createCaller` itself: tRPC's build copies every options object
 * through a down-levelled object-spread helper that defines each property with `Object.defineProperty`,
 * three times per middleware; on the REST hot path that was the largest single cost in the CPU profile
 * (bench/README.md). This builds plain object literals instead. test/procedure-invoker.test.ts checks that
 * every REST procedure answers exactly as through `createCaller`, successes and errors alike.
 */
export function procedureInvoker(procedure: AnyProcedure, path: string) {
  const { middlewares, meta, type } = procedure._def as unknown as {
    middlewares: Middleware[];
    meta: unknown;
    type: string;
  };

  return async function invoke(ctx: Context, rawInput: unknown): Promise<unknown> {
    const call = async (
      index: number,
      ctx: object,
      input: unknown,
      getRawInput: () => Promise<unknown>,
    ): Promise<Result> => {
      try {
        return await middlewares[index]!({
          ctx,
          type,
          path,
          input,
          getRawInput,
          meta,
          signal: undefined,
          next: (next) =>
            call(
              index + 1,
              next?.ctx ? { ...ctx, ...next.ctx } : ctx,
              next && "input" in next ? next.input : input,
              next?.getRawInput ?? getRawInput,
            ),
        });
      } catch (cause) {
        return { ok: false, error: getTRPCErrorFromUnknown(cause) };
      }
    };
    const result = await call(0, ctx, undefined, async () => rawInput);
    if (!result.ok) throw result.error;
    return result.data;
  };
}
