import type { ServerResponse } from "node:http";
import { getTRPCErrorShape, type ProcedureType, type TRPCError } from "@trpc/server";
import { getHTTPStatusCode } from "@trpc/server/http";
import type { Context } from "../context";
import { toPublicError } from "../errors/public-error";
import { routerConfig } from "./procedure-catalog";

export interface TrpcErrorAnswer {
  error: TRPCError;
  /** Undefined for an error before the caller was authenticated (a body that cannot be read). */
  ctx: Context | undefined;
  input: unknown;
  path: string;
  type: ProcedureType | "unknown";
}

/**
 * An error in tRPC's wire format, `{"error":<shape>}` with the status tRPC gives that shape: tRPC's
 * `getTRPCErrorShape` with our formatter, and the headers the public error calls for (`Retry-After`). tRPC answers
 * its own request-level errors (a wrong content type, a batch too large) the same way, one shape for the whole
 * request, batch or not.
 */
export function writeTrpcError(res: ServerResponse, answer: TrpcErrorAnswer): void {
  const { error, ctx, input, path, type } = answer;
  const shape = getTRPCErrorShape({ config: routerConfig(), ctx, error, input, path, type });
  const status = getHTTPStatusCode({ error: shape } as never);
  const headers = toPublicError(error, ctx?.requestId ?? "unknown").headers ?? {};
  res.writeHead(status, { vary: "trpc-accept, accept", "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ error: shape }));
}
