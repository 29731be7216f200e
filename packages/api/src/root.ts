import { aiApiKeyProcedures } from "./routers/ai-api-key/_router";
import { apiTokenProcedures } from "./routers/api-token/_router";
import { gatewayProcedures } from "./routers/gateway/_router";
import { systemEventProcedures } from "./routers/system-event/_router";
import { webhookProcedures } from "./routers/webhook/_router";
import { workspaceProcedures } from "./routers/workspace/_router";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  ...aiApiKeyProcedures,
  ...systemEventProcedures,
  ...apiTokenProcedures,
  ...workspaceProcedures,
  ...gatewayProcedures,
  ...webhookProcedures,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
