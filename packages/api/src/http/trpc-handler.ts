import type { IncomingMessage, ServerResponse } from "node:http";
import { getTRPCErrorFromUnknown, type TRPCError } from "@trpc/server";
import { incomingMessageToRequest } from "@trpc/server/adapters/node-http";
import { resolveResponse } from "@trpc/server/http";
import type { Actor, Context } from "../context";
import { toPublicError } from "../errors/public-error";
import { otherRoutes } from "../metrics/api-metrics";
import { appRouter } from "../root";
import type { ApiServices } from "../services";
import { maxTrpcBatchSize } from "../trpc";
import { actorFromAuthorization } from "./authenticate";
import { gatewayFromAuthorization } from "./authenticate-gateway";
import { procedureCatalog } from "./procedure-catalog";
import { maxRestBodyBytes, readJsonBodyText } from "./request-body";
import type { RequestState } from "./request-state";
import { writeTrpcError } from "./trpc-error-answer";
import { createSingleCallHandler } from "./trpc-single-call";

export const trpcBasePath = "/api/trpc/";

export { maxTrpcBatchSize };

/** Resolves the web session (a cookie) to its user; supplied by the web app, which owns sign-in. */
export type SessionResolver = (req: IncomingMessage) => Promise<Actor | null>;

/**
 * A cookie rides along on cross-site requests too; a mutation must come from our own pages. Browsers send
 * `Sec-Fetch-Site` (and `Origin` on every POST), which a cross-site page cannot forge.
 */
function isSameOriginRequest(req: IncomingMessage): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site) return site === "same-origin" || site === "none";
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser: no ambient cookie to abuse
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The tRPC endpoint for the web app and typed HTTP clients: a web session or a bearer token. */
export function createTrpcHandler(services: ApiServices, resolveSession: SessionResolver | undefined) {
  // One route label per procedure, and one for every batch: a path's own text never becomes a label.
  const procedureRoutes = new Map(
    procedureCatalog().map(({ name }) => [name, services.metrics.route(`${trpcBasePath}${name}`)]),
  );
  const batchRoute = services.metrics.route(otherRoutes.trpcBatch);
  const singleCall = createSingleCallHandler();
  return async function handleTrpc(req: IncomingMessage, res: ServerResponse, state: RequestState, path: string) {
    const procedures = path.slice(trpcBasePath.length);
    state.route = procedureRoutes.get(procedures) ?? (procedures.includes(",") ? batchRoute : undefined);
    const createContext = async (): Promise<Context> => {
      const gateway = await gatewayFromAuthorization(services, req.headers.authorization, state.clientAddress);
      if (gateway) {
        return {
          services,
          actor: null,
          credential: { kind: "gateway" },
          gateway,
          channel: "typed",
          requestId: state.requestId,
        };
      }
      const bearer = await actorFromAuthorization(services, req.headers.authorization, state.clientAddress);
      if (bearer) {
        state.userId = bearer.actor.userId;
        return { services, ...bearer, channel: "typed", requestId: state.requestId };
      }
      const sessionActor = resolveSession && isSameOriginRequest(req) ? await resolveSession(req) : null;
      if (sessionActor) state.userId = sessionActor.userId;
      return {
        services,
        actor: sessionActor,
        credential: { kind: sessionActor ? "session" : "none" },
        channel: "web",
        requestId: state.requestId,
      };
    };
    const onError = (error: TRPCError) => {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        services.logger.error({ err: error.cause ?? error, requestId: state.requestId }, "request failed");
      }
    };
    // A body is read by the rule REST reads it by, single call or batch, before anyone is authenticated: a
    // wrong content type is a 415 and bytes that are not UTF-8 a 400, never a call on U+FFFD in their place.
    let body: string | undefined;
    if (req.method !== "GET" && req.method !== "HEAD") {
      try {
        body = await readJsonBodyText(req);
      } catch (cause) {
        writeTrpcError(res, {
          error: getTRPCErrorFromUnknown(cause),
          ctx: undefined,
          input: undefined,
          path: procedures,
          type: "unknown",
        });
        return true;
      }
    }
    if (await singleCall(req, res, procedures, body, { createContext, onError })) return true;

    // tRPC's node adapter takes a body already read from `req.body`, as from any body-reading middleware.
    if (body !== undefined) (req as IncomingMessage & { body?: string }).body = body;
    const request = incomingMessageToRequest(req, res, { maxBodySize: maxRestBodyBytes });
    const response = await resolveResponse({
      router: appRouter,
      req: request,
      path: procedures,
      error: null,
      // One 400 for the whole request, before it is authenticated or any call runs (its message: trpc.ts).
      maxBatchSize: maxTrpcBatchSize,
      createContext,
      // Every answer is JSON (there are no subscriptions); the adapter leaves its request-level errors (a wrong
      // content type, a mixed or oversized batch) as text/plain otherwise.
      responseMeta: ({ errors }) => ({
        headers: {
          "content-type": "application/json",
          ...(errors[0] ? toPublicError(errors[0], state.requestId).headers : {}),
        },
      }),
      onError: ({ error }) => onError(error),
    });
    // tRPC's own node adapter (nodeHTTPRequestHandler, built from these same two calls) pipes the answer through
    // a web WritableStream. Every answer here is one JSON text (httpBatchLink, no subscriptions or streams):
    // read whole and written at once, a rename over tRPC costs a third less CPU (bench/README.md).
    const text = await response.text();
    res.statusCode = response.status;
    for (const [name, value] of response.headers) if (name !== "set-cookie") res.setHeader(name, value);
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) res.setHeader("set-cookie", cookies);
    res.end(text);
    return true;
  };
}
