import type { IncomingMessage, ServerResponse } from "node:http";
import { callTRPCProcedure, getTRPCErrorFromUnknown, TRPCError } from "@trpc/server";
import type { ConditionalRequest } from "../conditional-request";
import type { Context } from "../context";
import { NotModified } from "../errors/not-modified";
import { toPublicError } from "../errors/public-error";
import { appRouter } from "../root";
import type { ApiServices } from "../services";
import { actorFromAuthorization } from "./authenticate";
import { gatewayFromAuthorization } from "./authenticate-gateway";
import { readJsonObjectBody } from "./request-body";
import type { RequestState } from "./request-state";
import { restRoutesOf } from "./rest-routes";
import { sendJson } from "./send-json";

/** Path prefixes that are ours: a miss under them is a JSON 404, not a web page. */
export const restPrefixes = ["/repo/", "/systemevent", "/ai/", "/workspace/"];

/**
 * Flashback's REST paths, each mapped onto the router procedure whose meta names it: the procedure does
 * all validation, authorization and auditing; this only translates HTTP to a call and the result back.
 */
export function createRestHandler(services: ApiServices) {
  const routes = restRoutesOf(appRouter).map((route) => ({
    ...route,
    metrics: services.metrics.route(route.pathTemplate),
  }));
  // The routes of each method, in the router's order: a request tests only its own method's patterns.
  const routesByMethod = new Map<string, typeof routes>();
  for (const route of routes) {
    const sameMethod = routesByMethod.get(route.method);
    if (sameMethod) sameMethod.push(route);
    else routesByMethod.set(route.method, [route]);
  }

  return async function handleRest(req: IncomingMessage, res: ServerResponse, state: RequestState, path: string) {
    let route: (typeof routes)[number] | undefined;
    let values: RegExpExecArray | null = null;
    for (const candidate of routesByMethod.get(req.method ?? "") ?? []) {
      values = candidate.pattern.exec(path);
      if (values) {
        route = candidate;
        break;
      }
    }
    if (!route || !values) {
      const methods = routes.filter((r) => r.pattern.test(path)).map((r) => r.method);
      if (methods.length === 0) {
        if (!restPrefixes.some((prefix) => path.startsWith(prefix))) return false;
        sendJson(res, 404, { success: false, code: "NOT_FOUND", message: `There is no API endpoint at ${path}.` });
        return true;
      }
      const allowed = methods.join(", ");
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
    state.route = route.metrics;
    try {
      const pathInput: Record<string, string> = {};
      for (let i = 0; i < route.pathParams.length; i++)
        pathInput[route.pathParams[i]!] = decodePathSegment(values[i + 1]!);
      const gateway = await gatewayFromAuthorization(services, req.headers.authorization, state.clientAddress);
      const bearer = gateway
        ? undefined
        : await actorFromAuthorization(services, req.headers.authorization, state.clientAddress);
      if (!bearer && !gateway)
        throw new TRPCError({
          code: "UNAUTHORIZED",
          message: "Authentication required: send `Authorization: Bearer <token>`.",
        });
      if (bearer) state.userId = bearer.actor.userId;
      // GET and DELETE take everything from the path (a GET its own query parameters too); the others merge the
      // body in, never over the path.
      let input: Record<string, unknown> = pathInput;
      if (route.queryParams.length) input = { ...queryInput(req.url ?? "", route.queryParams), ...pathInput };
      else if (req.method !== "GET" && req.method !== "DELETE") {
        const body = await readJsonObjectBody(req);
        const misplaced = route.pathParams.filter((name) => Object.hasOwn(body, name));
        if (misplaced.length) {
          throw new TRPCError({
            code: "BAD_REQUEST",
            message:
              `${misplaced.join(", ")} cannot be sent in the body: it comes from the path and cannot be modified. ` +
              "The key and secret of an API key are fixed too; to replace them, rotate the key (POST …/ai/apikey/{apikeyId}/rotate).",
          });
        }
        input = { ...body, ...pathInput };
      }
      const conditional: ConditionalRequest | undefined = !route.conditional
        ? undefined
        : req.method === "GET"
          ? { ifNoneMatch: req.headers["if-none-match"] }
          : { ifNoneMatch: undefined, ifMatch: req.headers["if-match"] };
      const ctx: Context = {
        services,
        actor: bearer ? bearer.actor : null,
        credential: bearer ? bearer.credential : { kind: "gateway" },
        gateway,
        channel: "rest",
        requestId: state.requestId,
        conditional,
      };
      // The procedure's own middleware chain (authorization, rate limits, validation, handler), as a typed call.
      const result = await callTRPCProcedure({
        router: appRouter,
        path: route.procedure,
        type: route.type,
        ctx,
        getRawInput: async () => input,
        signal: undefined,
        batchIndex: 0,
      });
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
 * The query parameters a route reads, each at most once; others are ignored, as Flashback's clients may send
 * their own. Parsed only when the URL has a query, so the common request costs nothing here.
 */
function queryInput(url: string, names: readonly string[]): Record<string, string> {
  const start = url.indexOf("?");
  if (start === -1) return {};
  const params = new URLSearchParams(url.slice(start + 1));
  const input: Record<string, string> = {};
  for (const name of names) {
    const values = params.getAll(name);
    if (values.length > 1)
      throw new TRPCError({ code: "BAD_REQUEST", message: `${name} was given ${values.length} times; give it once.` });
    if (values.length === 1) input[name] = values[0]!;
  }
  return input;
}

/**
 * An answer with a version. Still `no-store`, like every API answer (nothing of ours lands in a browser's or
 * proxy's cache): a client that wants the 304 keeps the list and its tag itself and sends `If-None-Match`.
 */
function revalidated(etag: string): Record<string, string> {
  return { etag, "cache-control": "no-store" };
}

function decodePathSegment(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The path holds a malformed percent-encoding." });
  }
}
