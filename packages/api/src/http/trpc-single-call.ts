import type { IncomingMessage, ServerResponse } from "node:http";
import { callTRPCProcedure, getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import type { Context } from "../context";
import { appRouter } from "../root";
import { prebuiltJsonOf } from "../serialization/prebuilt-json";
import { procedureCatalog } from "./procedure-catalog";
import { isJsonContentType } from "./request-body";
import { writeTrpcError } from "./trpc-error-answer";

/** The part of the tRPC endpoint's handling that a single call shares with tRPC's own path. */
export interface SingleCallHooks {
  createContext: () => Promise<Context>;
  onError: (error: TRPCError) => void;
}

/**
 * A single tRPC call (no `?batch=1`) of a query by GET or a mutation by POST, made with tRPC's
 * `callTRPCProcedure` as the REST paths make theirs, answered in tRPC's wire format: `{"result":{"data":…}}`, or
 * `{"error":<shape>}` with the status tRPC gives that shape. Why not tRPC's `resolveResponse` for these: it
 * wraps the call in a web `Request` and `Response` and reads the body through a web stream; a rename over tRPC
 * cost twice the server CPU of the same rename over REST (bench/README.md). The middlewares, validators and
 * handler are the procedure's own, and the error shape is tRPC's `getTRPCErrorShape` with our formatter. The body arrives read by the rule every body is read by
 * (`readJsonBodyText`: bounded, JSON by its content type, valid UTF-8). Anything else (batches, streams, another
 * method or content type, an unknown procedure) returns false, and tRPC's own path answers it. test/trpc-single-call.test.ts checks that each answer here equals tRPC's for
 * the same call.
 */
export function createSingleCallHandler() {
  const types = new Map(procedureCatalog().map(({ name, type }) => [name, type]));

  return async function handleSingleCall(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    /** The body's text ("" for none); undefined for a GET, which has none. */
    body: string | undefined,
    hooks: SingleCallHooks,
  ): Promise<boolean> {
    const type = types.get(name);
    if (!type) return false;
    const url = req.url ?? "";
    const queryStart = url.indexOf("?");
    const search = queryStart === -1 ? undefined : new URLSearchParams(url.slice(queryStart + 1));
    if (search?.has("batch") || req.headers.accept === "application/jsonl") return false;
    const contentType = req.headers["content-type"];
    let rawInput: () => unknown;
    if (type === "query" && req.method === "GET") {
      if (contentType !== undefined && !isJsonContentType(contentType)) return false;
      const input = search?.get("input");
      rawInput = () => (input ? JSON.parse(input) : undefined);
    } else if (type === "mutation" && req.method === "POST" && body !== undefined) {
      if (!isJsonContentType(contentType)) return false;
      rawInput = () => JSON.parse(body);
    } else return false;

    let ctx: Context | undefined;
    let input: unknown;
    try {
      ctx = await hooks.createContext();
      const data = await callTRPCProcedure({
        router: appRouter,
        path: name,
        type,
        ctx,
        getRawInput: async () => {
          try {
            input = rawInput();
          } catch (cause) {
            // tRPC's own reading of the input answers this, a 400 with the parser's message.
            throw new TRPCError({ code: "BAD_REQUEST", message: (cause as Error).message, cause });
          }
          return input;
        },
        signal: undefined,
        batchIndex: 0,
      });
      const prebuilt = prebuiltJsonOf(data);
      res.writeHead(200, { vary: "trpc-accept, accept", "content-type": "application/json" });
      res.end(`{"result":{"data":${prebuilt ?? JSON.stringify(data) ?? "null"}}}`);
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      hooks.onError(error);
      writeTrpcError(res, { error, ctx, input, path: name, type: type });
    }
    return true;
  };
}
