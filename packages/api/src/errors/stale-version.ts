import { TRPCError } from "@trpc/server";

/** The key as it is now, when a conditional rename named an older version of it (the 412's `current`). */
export interface CurrentKey {
  name: string;
  version: string;
}

/**
 * The cause of a 412: the caller renamed from a stale copy. It carries the key as it is now, so the answer can
 * say what the other change was (`current`, and the `ETag` to retry with) instead of only that there was one.
 */
export class StaleVersion extends Error {
  constructor(readonly current: CurrentKey) {
    super("stale version");
  }
}

export function staleVersionError(current: CurrentKey): TRPCError {
  return new TRPCError({
    code: "PRECONDITION_FAILED",
    message: `This key was changed since you read it: it is now named “${current.name}” (version ${current.version}), and your rename was not applied. Read it again, then rename it if you still want to.`,
    cause: new StaleVersion(current),
  });
}
