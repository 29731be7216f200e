// The API alone (REST, tRPC, OpenAPI) on node:http, as apps/web/server.ts serves it but without the web app, so
// that an API-only bench needs no production build. Settings come from the environment, as the app's do.
import { createServer } from "node:http";
import {
  answerMalformedRequest,
  apiSettingsFromEnv,
  createApiRequestHandler,
  createLogger,
  startApiServices,
} from "@repokeys/api";

const logger = createLogger(process.env.LOG_LEVEL ?? "info");
const services = await startApiServices(apiSettingsFromEnv(), logger);
const handle = createApiRequestHandler(services);
const server = createServer((req, res) => {
  handle(req, res).then(
    (handled) => {
      if (!handled) res.writeHead(404).end();
    },
    (err) => {
      logger.error({ err }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    },
  );
});
server.on("clientError", answerMalformedRequest);
server.listen(Number(process.env.PORT), "127.0.0.1", () => logger.info(`API listening on ${process.env.PORT}`));
process.on("SIGTERM", () =>
  server.close(() =>
    services.webhooks
      .stop()
      .then(() => services.db.close())
      .finally(() => process.exit(0)),
  ),
);
