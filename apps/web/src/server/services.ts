import type { ApiServices, createCaller } from "@repokeys/api";

/**
 * The custom server (server.ts) loads @repokeys/api and builds the services once; Next's bundles run in the same
 * process and receive both on a process-wide symbol instead of compiling the API themselves. So there is one
 * database connection pool (one embedded PGlite) per process, one copy of the router, and Next's build never
 * bundles the migrator or the database drivers. Pages import only types from @repokeys/api.
 */
export interface WebRuntime {
  services: ApiServices;
  createCaller: typeof createCaller;
}

const key = Symbol.for("repokeys.web-runtime");
type Holder = { [key]?: WebRuntime };

export function publishRuntime(runtime: WebRuntime): void {
  (globalThis as Holder)[key] = runtime;
}

export function runtime(): WebRuntime {
  const published = (globalThis as Holder)[key];
  if (!published)
    throw new Error("The API services are not running: start the app with server.ts (pnpm start), not `next start`.");
  return published;
}

export function services(): ApiServices {
  return runtime().services;
}
