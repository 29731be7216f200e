import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { stampClientAddress } from "@repokeys/auth";
import { otherRoutes } from "../metrics/api-metrics";
import type { ApiServices } from "../services";
import { buildOpenApiDocument } from "./openapi";
import type { RequestState } from "./request-state";
import { createRestHandler, restPrefixes } from "./rest-handler";
import { sendJson } from "./send-json";
import { createTrpcHandler, type SessionResolver, trpcBasePath } from "./trpc-handler";

export interface ApiRequestHandlerOptions {
  resolveSession?: SessionResolver;
  /** The public base URL, for the OpenAPI document's `servers`. */
  publicUrl?: string;
  /** `TRUST_PROXY`: the client's address is the one the (single) reverse proxy appended to X-Forwarded-For. */
  trustProxy?: boolean;
}

/** Returns false for requests that are not the API's (the web app serves those). */
export type ApiRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/**
 * Everything the API serves over HTTP: Flashback's REST paths at the root, the tRPC endpoint, and the
 * OpenAPI document. Each request gets an id (echoed as `x-request-id`), one log line and one observation of
 * its route pattern's duration metric.
 */
export function createApiRequestHandler(
  services: ApiServices,
  options: ApiRequestHandlerOptions = {},
): ApiRequestHandler {
  const rest = createRestHandler(services);
  const trpc = createTrpcHandler(services, options.resolveSession);
  const openApiJson = JSON.stringify(buildOpenApiDocument(options.publicUrl ?? "/"));
  // The request line without the logger's redaction: its fields are fixed and hold no secret (ids, method,
  // path, status, duration), and redacting each line cost a fifth of a key verification's CPU (bench/README.md).
  // Everything else, errors included, goes through the redacting logger.
  const requestLog = services.logger.child({}, { redact: [] });
  const unmatched = services.metrics.route(otherRoutes.unmatched);
  const openApi = services.metrics.route(otherRoutes.openApi);

  return async function handleApiRequest(req, res) {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const path = query === -1 ? url : url.slice(0, query);
    const isTrpc = path.startsWith(trpcBasePath);
    if (!isTrpc && path !== "/openapi.json" && !restPrefixes.some((prefix) => path.startsWith(prefix))) return false;

    const started = performance.now();
    const incomingId = req.headers["x-request-id"];
    const state: RequestState = {
      requestId: typeof incomingId === "string" && /^[\w.-]{1,64}$/.test(incomingId) ? incomingId : randomUUID(),
      clientAddress: stampClientAddress(req, options.trustProxy ?? false),
    };
    res.setHeader("x-request-id", state.requestId);
    // Every answer, errors and tRPC's included: nothing here is for a shared cache (a created key's secret is
    // in one), and JSON must never be sniffed into something a browser would run.
    res.setHeader("cache-control", "no-store");
    res.setHeader("x-content-type-options", "nosniff");
    res.on("finish", () => {
      const durationMs = performance.now() - started;
      (state.route ?? unmatched).observe(req.method, res.statusCode, durationMs / 1000);
      requestLog.info(
        {
          requestId: state.requestId,
          method: req.method,
          path,
          status: res.statusCode,
          durationMs,
          userId: state.userId ?? null,
        },
        "request",
      );
    });

    if (path === "/openapi.json") {
      state.route = openApi;
      // The same for everyone and secret-free: the one API answer a cache may keep.
      res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "public, max-age=300" });
      res.end(openApiJson);
      return true;
    }
    try {
      return isTrpc ? await trpc(req, res, state, path) : await rest(req, res, state, path);
    } catch (err) {
      // The handlers answer their own errors; this is the last line, so that nothing hangs or leaks.
      services.logger.error({ err, requestId: state.requestId }, "unhandled request error");
      if (!res.headersSent) {
        sendJson(res, 500, {
          success: false,
          code: "INTERNAL_SERVER_ERROR",
          message: `Something went wrong on our side. Request id ${state.requestId}.`,
        });
      } else res.destroy();
      return true;
    }
  };
}
