import type { TRPCError } from "@trpc/server";
import type { appRouter } from "../root";
import { type ProcedureEntry, procedureCatalog } from "./procedure-catalog";

export interface RestRoute {
  method: string;
  /** the procedure's name on the router */
  procedure: string;
  type: ProcedureEntry["type"];
  pathTemplate: string;
  pattern: RegExp;
  pathParams: string[];
  /** A GET's input fields that are not in the path: read from the query string, and only these. */
  queryParams: string[];
  successStatus: number;
  /** The errors the procedure's rules raise (`errors` in its meta). */
  errors: readonly (() => TRPCError)[];
  /**
   * `conditional` in its meta. A GET: the answer has an ETag and `If-None-Match` may get 304. A change: it
   * honours `If-Match` (412 on a mismatch) and its answer then carries the new ETag.
   */
  conditional: boolean;
}

/**
 * The REST routes, read from each procedure's `openapi` meta: the router is the only list of routes,
 * the same one the OpenAPI document is generated from.
 */
export function restRoutesOf(router: typeof appRouter): RestRoute[] {
  return procedureCatalog(router).flatMap(({ name, type, meta, input }) => {
    if (!meta?.openapi) return [];
    const pathParams: string[] = [];
    const pattern = meta.openapi.path
      .split("/")
      .map((segment) => {
        const param = /^\{(\w+)\}$/.exec(segment);
        if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        pathParams.push(param[1]!);
        return "([^/]+)";
      })
      .join("/");
    const shape = (input as { shape?: Record<string, unknown> } | undefined)?.shape;
    const queryParams =
      meta.openapi.method === "GET" ? Object.keys(shape ?? {}).filter((name) => !pathParams.includes(name)) : [];
    return [
      {
        method: meta.openapi.method,
        procedure: name,
        type,
        pathTemplate: meta.openapi.path,
        pattern: new RegExp(`^${pattern}/?$`),
        pathParams,
        queryParams,
        successStatus: meta.successStatus ?? 200,
        errors: meta.errors ?? [],
        conditional: meta.conditional === true,
      },
    ];
  });
}
