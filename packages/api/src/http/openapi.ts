import { generateOpenApiDocument } from "trpc-to-openapi";
import { appRouter } from "../root";
import { maxRestBodyBytes } from "./request-body";
import { restRoutesOf } from "./rest-routes";

type Operation = { responses?: Record<string, unknown>; description?: string };

/** The OpenAPI 3 document of the REST paths, generated from the procedures' zod schemas. Build it once. */
export function buildOpenApiDocument(baseUrl: string) {
  const document = generateOpenApiDocument(appRouter, {
    title: "repokeys REST API",
    version: "1.0.0",
    baseUrl,
    description:
      "Flashback-compatible REST API for repository AI API keys. Authenticate with `Authorization: Bearer <token>`. " +
      `Request bodies are limited to ${maxRestBodyBytes} bytes. Errors are \`{ success: false, message }\`.`,
  });
  // trpc-to-openapi documents every success as 200; ours may differ (201 for a create).
  for (const route of restRoutesOf(appRouter)) {
    if (route.successStatus === 200) continue;
    const operation = document.paths?.[route.pathTemplate]?.[route.method.toLowerCase() as "post"] as
      | Operation
      | undefined;
    if (operation?.responses?.["200"]) {
      operation.responses[String(route.successStatus)] = operation.responses["200"];
      delete operation.responses["200"];
    }
  }
  return document;
}
