import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import type { z } from "zod";
import { domainErrors } from "../errors/domain-errors";
import { toPublicError } from "../errors/public-error";
import { RateLimitedError } from "../errors/rate-limited";
import { maxRestBodyBytes, requestBodyErrors } from "./request-body";
import type { RestRoute } from "./rest-routes";

export const errorSchemaName = "Error";

const exampleRequestId = "4f1c2b7e-0c1d-4a6e-9b55-2f0c8e7d9a10";
const errorContent = (example: unknown) => ({
  "application/json": { schema: { $ref: `#/components/schemas/${errorSchemaName}` }, example },
});
const integerHeader = (description: string) => ({ description, required: true, schema: { type: "integer" } });
const stringHeader = (description: string) => ({ description, required: true, schema: { type: "string" } });

/** An error answer as the server sends it: its examples are made by the same code that makes the real ones. */
function errorResponse(description: string, error: TRPCError, headers?: Record<string, unknown>) {
  const { body } = toPublicError(error, exampleRequestId);
  return { description, ...(headers ? { headers } : {}), content: errorContent(body) };
}

/** A status the procedure's own rules answer with, one named example per rule. */
function domainErrorResponse(errors: TRPCError[]) {
  const examples = Object.fromEntries(
    errors.map((error, i) => [`example${i + 1}`, { value: toPublicError(error, exampleRequestId).body }]),
  );
  return {
    description: errors.map((error) => error.message).join(" | "),
    content: { "application/json": { schema: { $ref: `#/components/schemas/${errorSchemaName}` }, examples } },
  };
}

/** A database that is away, as pg reports it: the server answers 503 with Retry-After. */
const databaseAway = new TRPCError({
  code: "INTERNAL_SERVER_ERROR",
  cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }),
});

/**
 * Every error status `route` can answer with: those any REST call can get, 413/415 where a body is read,
 * and those of the errors its procedure declares (`errors`), each of them an example.
 */
export function errorResponsesFor(route: RestRoute, inputParser: z.ZodType): Record<string, unknown> {
  const hasBody = route.method !== "GET" && route.method !== "DELETE";
  const responses: Record<string, unknown> = {
    "400": errorResponse(
      "Invalid input: malformed JSON, wrong types, unknown fields, or a path id in the wrong form; `issues` names each invalid field.",
      hasBody ? requestBodyErrors.notAnObject() : invalidPathExample(route, inputParser),
    ),
    "401": errorResponse(
      "No bearer token, or one that is malformed, unknown, revoked or expired.",
      domainErrors.unauthenticated(),
      { "WWW-Authenticate": stringHeader('`Bearer realm="repokeys"`') },
    ),
  };
  const byStatus = new Map<string, TRPCError[]>();
  for (const make of route.errors) {
    const error = make();
    const status = String(getHTTPStatusCodeFromError(error));
    byStatus.set(status, [...(byStatus.get(status) ?? []), error]);
  }
  for (const [status, errors] of byStatus) responses[status] = domainErrorResponse(errors);
  if (hasBody) {
    responses["413"] = errorResponse(
      `The body is over ${maxRestBodyBytes} bytes.`,
      requestBodyErrors.tooLarge(maxRestBodyBytes),
    );
    responses["415"] = errorResponse(
      "The body is not sent as `application/json`.",
      requestBodyErrors.notJson("text/plain"),
    );
  }
  responses["429"] = errorResponse(
    "Too many requests with this API token; wait as long as `Retry-After` says.",
    new RateLimitedError(12, "600 per minute"),
    { "Retry-After": integerHeader("Seconds to wait before trying again") },
  );
  responses["500"] = errorResponse(
    "Something unexpected failed and nothing was changed; the message and `x-request-id` carry the request id.",
    new TRPCError({ code: "INTERNAL_SERVER_ERROR" }),
  );
  responses["503"] = errorResponse(
    "The database is unavailable or overloaded; nothing was changed. Retry after `Retry-After` seconds.",
    databaseAway,
    { "Retry-After": integerHeader("Seconds to wait before trying again") },
  );
  return responses;
}

/** The 400 the procedure's own input schema gives for a malformed path id. */
function invalidPathExample(route: RestRoute, inputParser: z.ZodType): TRPCError {
  const input = Object.fromEntries(route.pathParams.map((name) => [name, "not an id!"]));
  const parsed = inputParser.safeParse(input);
  if (parsed.success) throw new Error(`OpenAPI: ${route.procedure} accepts a malformed path id`);
  return new TRPCError({ code: "BAD_REQUEST", cause: parsed.error });
}

/** A conditional GET's request header: the `ETag` of the copy the client holds. */
export const ifNoneMatchParameter = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description:
    "The `ETag` of the answer you hold (or several, comma-separated): when it is still current the answer is 304 with no body. " +
    "Authorization is checked first: a caller without access gets 403 whatever it sends.",
  schema: { type: "string" },
  example: '"6f0c0e52-1d7c-4c44-9b7e-6d2f1d3f4a11.42"',
};

/** A conditional change's request header: the `version` of the key as the caller last saw it. */
export const ifMatchParameter = {
  name: "If-Match",
  in: "header",
  required: false,
  description:
    'The key\'s `version` from the list, quoted (`"1042"`; several comma-separated): the rename applies only if the key is still at that version, ' +
    "else 412 with the key's current name and version in `current`. Without it the rename is unconditional.",
  schema: { type: "string" },
  example: '"1042"',
};

/** What a conditional change's answer carries: the key's version after it. */
export const changedVersionHeaders = {
  ETag: {
    ...stringHeader("Only when `If-Match` was sent: the key's version now, quoted; send it with the next rename."),
    required: false,
  },
};

/** What a conditional GET's 200 and 304 carry: the version's tag, and no-store like every API answer. */
export const revalidationHeaders = {
  ETag: stringHeader(
    "The version of the list: it changes whenever what the list shows changes. Send it back in `If-None-Match`.",
  ),
  "Cache-Control": stringHeader(
    "`no-store`: no cache keeps it; a client that wants the 304 keeps the list and its tag itself.",
  ),
};

export const notModifiedResponse = {
  description: "Not modified: the `If-None-Match` names the current version; no body. Use the copy you hold.",
  headers: revalidationHeaders,
};
