import { TRPCError } from "@trpc/server";

/** A 429 that says when to come back (the `Retry-After` header). */
export class RateLimitedError extends TRPCError {
  constructor(
    readonly retryAfterSeconds: number,
    limit: string,
  ) {
    super({
      code: "TOO_MANY_REQUESTS",
      message: `Too many requests: the limit is ${limit}. Try again in ${retryAfterSeconds} s.`,
    });
  }
}
