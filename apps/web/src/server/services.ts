import type { ApiServices } from "@repokeys/api";

/**
 * The custom server (server.ts) builds the services once; Next's bundles run in the same process but load
 * their own copies of our modules, so the instance is handed over on a process-wide symbol. One database
 * connection pool (one embedded PGlite) per process, whoever asks.
 */
const key = Symbol.for("repokeys.services");
type Holder = { [key]?: ApiServices };

export function publishServices(services: ApiServices): void {
  (globalThis as Holder)[key] = services;
}

export function services(): ApiServices {
  const published = (globalThis as Holder)[key];
  if (!published)
    throw new Error("The API services are not running: start the app with server.ts (pnpm start), not `next start`.");
  return published;
}
