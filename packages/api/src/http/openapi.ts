import { generateOpenApiDocument } from "trpc-to-openapi";
import { z } from "zod";
import { publicErrorBodySchema } from "../errors/public-error";
import { appRouter } from "../root";
import {
  changedVersionHeaders,
  errorResponsesFor,
  errorSchemaName,
  ifMatchParameter,
  ifNoneMatchParameter,
  notModifiedResponse,
  revalidationHeaders,
} from "./openapi-errors";
import { procedureCatalog, withDocumentedOutputs } from "./procedure-catalog";
import { maxRestBodyBytes } from "./request-body";
import { restRoutesOf } from "./rest-routes";

type Operation = { responses?: Record<string, unknown>; parameters?: unknown[] };
type Document = ReturnType<typeof generateOpenApiDocument>;

/**
 * The OpenAPI 3.1 document of the REST paths: requests and successes generated from the procedures' zod
 * schemas by trpc-to-openapi; every error answer replaced by what the server really sends (its defaults
 * describe a body without `success`, with `additionalProperties: false`, and no 405/413/415/429/503).
 * Build it once.
 */
export function buildOpenApiDocument(baseUrl: string): Document {
  const document = generateOpenApiDocument(withDocumentedOutputs(appRouter), {
    title: "repokeys REST API",
    version: "1.0.0",
    baseUrl,
    description:
      "Flashback-compatible REST API for repository AI API keys. Authenticate with `Authorization: Bearer <token>` " +
      `(a personal API token). Request bodies are limited to ${maxRestBodyBytes} bytes and must be ` +
      "`application/json`. Every error is `{ success: false, code, message }` (plus `issues` for invalid fields) " +
      "with a message a person can act on. A method a path does not list answers 405 with that body " +
      "(code `METHOD_NOT_SUPPORTED`) and an `Allow` header naming the methods it has. " +
      "Every answer carries `x-request-id`; give it to your operator when reporting a 500.",
    securitySchemes: {
      bearerAuth: {
        type: "http",
        scheme: "bearer",
        description: "A personal API token (`rkt_…`), created in the web app under API tokens or with the admin CLI.",
      },
    },
  });
  document.info.license = { name: "Apache-2.0", identifier: "Apache-2.0" };
  const inputs = new Map(procedureCatalog().map((procedure) => [procedure.name, procedure.input]));
  for (const route of restRoutesOf(appRouter)) {
    const operation = document.paths?.[route.pathTemplate]?.[route.method.toLowerCase() as "post"] as
      | Operation
      | undefined;
    if (!operation?.responses) throw new Error(`OpenAPI: no operation for ${route.method} ${route.pathTemplate}`);
    const success = operation.responses["200"] as Record<string, unknown>;
    const inputParser = inputs.get(route.procedure) as z.ZodType;
    if (route.conditional && route.method !== "GET") {
      operation.parameters = [...(operation.parameters ?? []), ifMatchParameter];
      operation.responses = {
        [String(route.successStatus)]: { ...success, headers: changedVersionHeaders },
        ...errorResponsesFor(route, inputParser),
      };
    } else if (route.conditional) {
      operation.parameters = [...(operation.parameters ?? []), ifNoneMatchParameter];
      operation.responses = {
        [String(route.successStatus)]: { ...success, headers: revalidationHeaders },
        "304": notModifiedResponse,
        ...errorResponsesFor(route, inputParser),
      };
    } else {
      operation.responses = { [String(route.successStatus)]: success, ...errorResponsesFor(route, inputParser) };
    }
  }
  const { $schema: _dialect, ...errorSchema } = z.toJSONSchema(publicErrorBodySchema, { target: "draft-2020-12" });
  document.components ??= {};
  document.components.schemas = { [errorSchemaName]: errorSchema as Record<string, unknown> };
  return document;
}
