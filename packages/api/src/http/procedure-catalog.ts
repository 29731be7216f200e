import type { AnyProcedure } from "@trpc/server";
import type { z } from "zod";
import { appRouter } from "../root";
import type { ApiMeta } from "../trpc";

/** What the HTTP adapters and the OpenAPI document need to know of one procedure. */
export interface ProcedureEntry {
  name: string;
  type: "query" | "mutation" | "subscription";
  meta: ApiMeta | undefined;
  /** The procedure's input validator, when it has one. */
  input: z.ZodType | undefined;
}

type Router = typeof appRouter;

/**
 * The one place that reads a router's definition (`_def`), which tRPC offers no other way to list: the REST
 * routes, the OpenAPI document, the metrics' route labels and the tests all take the procedures from here,
 * so a change in tRPC's internals has one file to mend, as trpc-to-openapi has.
 */
export function procedureCatalog(router: Router = appRouter): ProcedureEntry[] {
  return Object.entries(router._def.procedures as Record<string, AnyProcedure>).map(([name, procedure]) => ({
    name,
    type: procedure._def.type,
    meta: procedure._def.meta as ApiMeta | undefined,
    input: procedure._def.inputs[0] as z.ZodType | undefined,
  }));
}

/** The router's root configuration (its error formatter), which tRPC's error shape is made with. */
export function routerConfig(router: Router = appRouter): Router["_def"]["_config"] {
  return router._def._config;
}

/**
 * The router as trpc-to-openapi should see it: a procedure whose answer is prebuilt JSON has its schema in
 * `documentedOutput` (ApiMeta) instead of a run-time `.output()` validator, and the generator reads only
 * `_def.output`. Only the document sees this view; the served router is untouched.
 */
export function withDocumentedOutputs(router: Router): Router {
  const procedures = Object.fromEntries(
    Object.entries(router._def.procedures as Record<string, AnyProcedure>).map(([name, procedure]) => {
      const documented = (procedure._def.meta as ApiMeta | undefined)?.documentedOutput;
      return [name, documented ? { _def: { ...procedure._def, output: documented } } : procedure];
    }),
  );
  return { ...router, _def: { ...router._def, procedures, record: procedures } } as Router;
}
