import type { IncomingMessage, ServerResponse } from "node:http";
import type { AnyProcedure } from "@trpc/server";
import { getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import type { ConditionalRequest } from "../conditional-request";
import { NotModified } from "../errors/not-modified";
import { toPublicError } from "../errors/public-error";
import { appRouter } from "../root";
import type { ApiServices } from "../services";
import { actorFromAuthorization } from "./authenticate";
import { gatewayFromAuthorization } from "./authenticate-gateway";
import { procedureInvoker } from "./procedure-invoker";
import { readJsonObjectBody } from "./request-body";
import type { RequestState } from "./request-state";
import { restRoutesOf } from "./rest-routes";
import { sendJson } from "./send-json";

/** Path prefixes that are ours: a miss under them is a JSON 404, not a web page. */
export const restPrefixes = ["/repo/", "/systemevent", "/ai/"];

/**
 * Flashback's REST paths, each mapped onto the router procedure whose meta names it: the procedure does
 * all validation, authorization and auditing; this only translates HTTP to a call and the result back.
 */
export function createRestHandler(services: ApiServices) {
  const procedures = appRouter._def.procedures as Record<string, AnyProcedure>;
  const routes = restRoutesOf(appRouter).map((route) => ({
    ...route,
    invoke: procedureInvoker(procedures[route.procedure]!, route.procedure),
  }));

  return async function handleRest(req: IncomingMessage, res: ServerResponse, state: RequestState, path: string) {
    const candidates = routes.filter((route) => route.pattern.test(path));
    if (candidates.length === 0) {
      if (!restPrefixes.some((prefix) => path.startsWith(prefix))) return false;
      sendJson(res, 404, { success: false, code: "NOT_FOUND", message: `There is no API endpoint at ${path}.` });
      return true;
    }
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      const allowed = candidates.map((r) => r.method).join(", ");
      sendJson(
        res,
        405,
        {
          success: false,
          code: "METHOD_NOT_SUPPORTED",
          message: `${req.method} is not supported here; use ${allowed}.`,
        },
        { allow: allowed },
      );
      return true;
    }
    try {
      const values = route.pattern.exec(path)!.slice(1);
      const pathInput = Object.fromEntries(route.pathParams.map((name, i) => [name, decodePathSegment(values[i]!)]));
      const gateway = await gatewayFromAuthorization(services, req.headers.authorization);
      const bearer = gateway
        ? undefined
        : await actorFromAuthorization(services, req.headers.authorization, state.clientAddress);
      if (!bearer && !gateway)
        throw new TRPCError({
          code: "UNAUTHORIZED",
          message: "Authentication required: send `Authorization: Bearer <token>`.",
        });
      if (bearer) state.userId = bearer.actor.userId;
      const body = req.method === "GET" || req.method === "DELETE" ? {} : await readJsonObjectBody(req);
      const misplaced = route.pathParams.filter((name) => Object.hasOwn(body, name));
      if (misplaced.length) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message:
            `${misplaced.join(", ")} cannot be sent in the body: it comes from the path and cannot be modified. ` +
            "The key and secret of an API key are fixed too; to replace them, rotate the key (POST …/ai/apikey/{apikeyId}/rotate).",
        });
      }
      const conditional: ConditionalRequest | undefined = route.conditional
        ? { ifNoneMatch: req.headers["if-none-match"] }
        : undefined;
      const result = await route.invoke(
        {
          services,
          ...(bearer ?? { actor: null, credential: { kind: "gateway" } }),
          gateway,
          channel: "rest",
          requestId: state.requestId,
          conditional,
        },
        { ...body, ...pathInput },
      );
      sendJson(res, route.successStatus, result, conditional?.etag ? revalidated(conditional.etag) : {});
    } catch (cause) {
      const error = getTRPCErrorFromUnknown(cause);
      if (error.cause instanceof NotModified) {
        res.writeHead(304, revalidated(error.cause.etag));
        res.end();
        return true;
      }
      const { status, body, headers } = toPublicError(error, state.requestId);
      if (status >= 500)
        services.logger.error({ err: error.cause ?? error, requestId: state.requestId }, "request failed");
      sendJson(
        res,
        status,
        body,
        status === 401 ? { ...headers, "www-authenticate": 'Bearer realm="repokeys"' } : headers,
      );
    }
    return true;
  };
}

/**
 * An answer with a version. Still `no-store`, like every API answer (nothing of ours lands in a browser's or
 * proxy's cache): a client that wants the 304 keeps the list and its tag itself and sends `If-None-Match`.
 */
function revalidated(etag: string): Record<string, string> {
  return { etag, "cache-control": "no-store" };
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The path holds a malformed percent-encoding." });
  }
}
