import type { IncomingMessage, ServerResponse } from "node:http";
import { type AnyProcedure, getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import { getErrorShape, getHTTPStatusCode } from "@trpc/server/unstable-core-do-not-import";
import type { Context } from "../context";
import { toPublicError } from "../errors/public-error";
import { appRouter } from "../root";
import { prebuiltJsonOf } from "../serialization/prebuilt-json";
import { procedureInvoker } from "./procedure-invoker";
import { maxRestBodyBytes } from "./request-body";

/** The part of the tRPC endpoint's handling that a single call shares with tRPC's own path. */
export interface SingleCallHooks {
  createContext: () => Promise<Context>;
  onError: (error: TRPCError) => void;
}

/**
 * A single tRPC call (no `?batch=1`) of a query by GET or a mutation by POST, answered through the procedure
 * invoker the REST paths use, in tRPC's wire format: `{"result":{"data":…}}`, or `{"error":<shape>}` with the
 * status tRPC gives that shape. Why not tRPC's `resolveResponse` for these: it wraps the call in a web
 * `Request` and `Response`, reads the body through a web stream and copies every options object through the
 * down-levelled spread helper; a rename over tRPC cost twice the server CPU of the same rename over REST
 * (bench/README.md). The middlewares, validators and handler are the procedure's own, and the error shape is
 * tRPC's `getErrorShape` with our formatter. Anything else (batches, streams, another method or content type,
 * a body without a length or over the limit, an unknown procedure) returns false before reading anything, and
 * tRPC's own path answers it. test/trpc-single-call.test.ts checks that each answer here equals tRPC's for
 * the same call.
 */
export function createSingleCallHandler() {
  const procedures = appRouter._def.procedures as Record<string, AnyProcedure>;
  const invokers = new Map(
    Object.entries(procedures).map(([name, procedure]) => [
      name,
      { invoke: procedureInvoker(procedure, name), type: procedure._def.type },
    ]),
  );
  const config = appRouter._def._config;

  return async function handleSingleCall(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    hooks: SingleCallHooks,
  ): Promise<boolean> {
    const entry = invokers.get(name);
    if (!entry) return false;
    const url = req.url ?? "";
    const queryStart = url.indexOf("?");
    const search = queryStart === -1 ? undefined : new URLSearchParams(url.slice(queryStart + 1));
    if (search?.has("batch") || req.headers.accept === "application/jsonl") return false;
    const contentType = req.headers["content-type"];
    let rawInput: () => unknown;
    if (entry.type === "query" && req.method === "GET") {
      if (contentType !== undefined && !contentType.startsWith("application/json")) return false;
      const input = search?.get("input");
      rawInput = () => (input ? JSON.parse(input) : undefined);
    } else if (entry.type === "mutation" && req.method === "POST") {
      const length = Number(req.headers["content-length"]);
      if (!contentType?.startsWith("application/json") || !(length >= 0 && length <= maxRestBodyBytes)) return false;
      const chunks: Buffer[] = [];
      for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString("utf8");
      rawInput = () => JSON.parse(text);
    } else return false;

    let ctx: Context | undefined;
    let input: unknown;
    let answer: string;
    let status = 200;
    let headers: Record<string, string> = {};
    try {
      ctx = await hooks.createContext();
      const data = await entry.invoke(ctx, undefined, async () => {
        try {
          input = rawInput();
        } catch (cause) {
          // tRPC's own reading of the input answers this, a 400 with the parser's message.
          throw new TRPCError({ code: "BAD_REQUEST", message: (cause as Error).message, cause });
        }
        return input;
      });
      const prebuilt = prebuiltJsonOf(data);
      answer = `{"result":{"data":${prebuilt ?? JSON.stringify(data) ?? "null"}}}`;
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      hooks.onError(error);
      const shape = getErrorShape({ config, ctx, error, input, path: name, type: entry.type });
      status = getHTTPStatusCode({ error: shape } as never);
      headers = toPublicError(error, ctx?.requestId ?? "unknown").headers ?? {};
      answer = JSON.stringify({ error: shape });
    }
    res.writeHead(status, { vary: "trpc-accept, accept", "content-type": "application/json", ...headers });
    res.end(answer);
    return true;
  };
}
