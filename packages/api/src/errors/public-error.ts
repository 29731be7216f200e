import type { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";

export interface PublicError {
  status: number;
  body: { success: false; message: string; code: TRPCError["code"]; issues?: { path: string; message: string }[] };
}

/**
 * What a caller may see of an error: our own messages as written; validation failures as a sentence
 * per problem; anything unexpected as a generic message with the request id, never its internals.
 */
export function toPublicError(error: TRPCError, requestId: string): PublicError {
  const status = getHTTPStatusCodeFromError(error);
  if (error.cause instanceof ZodError) {
    const issues = error.cause.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
    return {
      status,
      body: { success: false, code: error.code, message: issues.map((i) => i.message).join(" "), issues },
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
    };
  }
  return { status, body: { success: false, code: error.code, message: error.message } };
}
