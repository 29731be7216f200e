// The one process: Flashback's REST paths, the tRPC endpoint and /openapi.json go straight to the API's
// handler (Next's router alone measured ~0.6 ms of CPU per request, five times a bare rename's; bench/README.md);
// everything else is the Next.js app.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  answerMalformedRequest,
  apiSettingsFromEnv,
  createApiRequestHandler,
  createCaller,
  createServerLogger,
  metricsSettingsFromEnv,
  otherRoutes,
  serveAdminCommands,
  serveMetrics,
  startApiServices,
} from "@repokeys/api";
import {
  createSessionResolver,
  externalProvidersFromEnv,
  loadAuthSecret,
  stampClientAddress,
  trustProxyFromEnv,
} from "@repokeys/auth/web";
import { demoAccount } from "@repokeys/db";
import next from "next";
import { dropUntrustedForwardedHeaders } from "./src/server/forwarded-headers";
import { createSecurityHeaders } from "./src/server/security-headers";
import { serverLimitsFromEnv, serverOptions } from "./src/server/server-limits";
import { publishRuntime } from "./src/server/services";
import { createSignInThrottle } from "./src/server/sign-in-throttle";

const logger = createServerLogger();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const dev = process.env.NODE_ENV !== "production";

async function main() {
  const settings = apiSettingsFromEnv();
  const trustProxy = trustProxyFromEnv();
  const limits = serverLimitsFromEnv();
  const metricsSettings = metricsSettingsFromEnv();
  const embeddedDataDir = settings.database.databaseUrl ? undefined : settings.database.dataDir;
  // Before the database: a missing secret in production is a configuration error, not a half-started server.
  const authSecret = await loadAuthSecret({
    configured: process.env.AUTH_SECRET,
    embeddedDataDir,
    warn: (message) => logger.warn(message),
  });
  // Next's Auth.js routes (src/auth.ts) run in this process and read it from here.
  process.env.AUTH_SECRET = authSecret;
  const services = await startApiServices(settings, logger);
  // Its own listener, never the public port: the metrics describe the deployment, not any one caller.
  const metricsServer = await serveMetrics(services.metrics, metricsSettings);
  if (metricsServer) logger.info(`metrics are served at ${metricsServer.url}`);
  publishRuntime({ services, createCaller });
  // The embedded database allows one process: admin commands reach it through this app while it serves.
  const adminSocket =
    embeddedDataDir &&
    (await serveAdminCommands(services, { dataDir: embeddedDataDir, masterKeys: settings.masterKeys, logger }));
  const api = createApiRequestHandler(services, {
    publicUrl: process.env.PUBLIC_URL,
    trustProxy,
    resolveSession: createSessionResolver(authSecret, services.sessionVersions),
  });
  const app = next({ dev, dir: import.meta.dirname, port });
  await app.prepare();
  const handleNext = app.getRequestHandler();
  const applySecurityHeaders = createSecurityHeaders({
    dev,
    formTargets: externalProvidersFromEnv().map((p) => p.origin),
  });
  const handleWeb: typeof handleNext = (req, res) => {
    applySecurityHeaders(req, res);
    return handleNext(req, res);
  };

  const refuseSpentAddress = createSignInThrottle(services.rateLimits.signIn);
  const webRoute = services.metrics.route(otherRoutes.web);

  // One async function per request: the API's requests (the hot path) never reach the web app's steps.
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      if (await api(req, res)) return;
      const started = performance.now();
      res.on("finish", () => webRoute.observe(req.method, res.statusCode, (performance.now() - started) / 1000));
      // The metrics have a listener of their own: a scraper pointed here by mistake gets a plain 404, not the
      // sign-in redirect every unknown page gets.
      if (/^\/metrics\/?(\?|$)/.test(req.url ?? "")) {
        res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found.\n");
        return;
      }
      if (await refuseSpentAddress(req, res, stampClientAddress(req, trustProxy))) return;
      dropUntrustedForwardedHeaders(req, trustProxy);
      await handleWeb(req, res);
    } catch (err) {
      logger.error({ err }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    }
  };
  const server = createServer(serverOptions(limits), serve);
  server.on("clientError", answerMalformedRequest);
  server.maxConnections = limits.maxConnections;
  server.listen(port, host, () => {
    const where = settings.database.databaseUrl
      ? "PostgreSQL"
      : `the embedded database in ${settings.database.dataDir}`;
    logger.info(`repokeys is listening on http://localhost:${port} (${where})`);
    if (embeddedDataDir) {
      logger.info(
        `Sign in at http://localhost:${port} as ${demoAccount.email} / ${demoAccount.password} ` +
          "(the demo account `npm run quickstart` seeds; `npm run db:seed` makes it).",
      );
    }
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(`${signal}: finishing open requests, then closing`);
    server.close(async () => {
      // Attempts in flight are abandoned: their lease makes them due again, here or on another instance.
      await services.webhooks.stop();
      if (adminSocket) await adminSocket.close();
      await metricsServer?.close();
      // After the last request's verification: its count is in this flush.
      await services.keyUsage.close();
      services.db.close().finally(() => process.exit(0));
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err) => {
  logger.fatal({ err }, err instanceof Error ? err.message : "failed to start");
  process.exit(1);
});
