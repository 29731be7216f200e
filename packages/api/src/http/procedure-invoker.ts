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

interface Step {
  middlewares: Middleware[];
  index: number;
  ctx: object;
  input: unknown;
  getRawInput: () => Promise<unknown>;
  type: string;
  path: string;
  meta: unknown;
}

/**
 * Calls one procedure the way `createCaller` does: the same middleware chain (our authorization and rate-limit
 * middlewares, the input and output validators, the handler), in the same order, with the same `next`
 * contract. All but tRPC's error formatter: it shapes errors for tRPC's own wire format (and allocates five
 * closures per call to do it), while a REST error answer is made by `toPublicError` from the error itself. Why not `createCaller` itself: tRPC's build copies every options object
 * through a down-levelled object-spread helper that defines each property with `Object.defineProperty`,
 * three times per middleware; on the REST hot path that was the largest single cost in the CPU profile
 * (bench/README.md). This builds plain object literals, and no named closure per call (the TypeScript loader
 * names each one with another `defineProperty`). test/procedure-invoker.test.ts checks that every REST
 * procedure answers exactly as through `createCaller`, successes and errors alike.
 */
export function procedureInvoker(procedure: AnyProcedure, path: string) {
  const { middlewares, meta, type } = procedure._def as unknown as {
    middlewares: Middleware[];
    meta: unknown;
    type: string;
  };
  const chain = middlewares.filter((middleware) => (middleware as { _type?: string })._type !== "errors");

  /** `getRawInput`: the input read when the input validator asks for it (tRPC's way), instead of `rawInput`. */
  return async function invoke(
    ctx: Context,
    rawInput: unknown,
    getRawInput: () => Promise<unknown> = resolved.bind(undefined, rawInput),
  ): Promise<unknown> {
    const result = await run({
      middlewares: chain,
      index: 0,
      ctx,
      input: undefined,
      getRawInput,
      type,
      path,
      meta,
    });
    if (!result.ok) throw result.error;
    return result.data;
  };
}

/** One middleware, its throw (sync or async) turned into a failed result, as tRPC's own caller does. */
function run(step: Step): Promise<Result> {
  let result: Promise<Result>;
  try {
    result = step.middlewares[step.index]!({
      ctx: step.ctx,
      type: step.type,
      path: step.path,
      input: step.input,
      getRawInput: step.getRawInput,
      meta: step.meta,
      signal: undefined,
      next: next.bind(step),
    });
  } catch (cause) {
    return Promise.resolve(failed(cause));
  }
  // One reaction instead of an async function's await and its own promise: a hop less per middleware.
  return result.then(undefined, failed);
}

function failed(cause: unknown): Result {
  return { ok: false, error: getTRPCErrorFromUnknown(cause) };
}

function next(this: Step, options?: NextOptions): Promise<Result> {
  return run({
    ...this,
    index: this.index + 1,
    ctx: options?.ctx ? { ...this.ctx, ...options.ctx } : this.ctx,
    input: options && "input" in options ? options.input : this.input,
    getRawInput: options?.getRawInput ?? this.getRawInput,
  });
}

async function resolved(value: unknown): Promise<unknown> {
  return value;
}
