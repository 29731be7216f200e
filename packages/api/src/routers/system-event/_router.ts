import { domainErrors } from "../../errors/domain-errors";
import { protectedProcedure } from "../../trpc";
import { listSystemEventsHandler } from "./list.handler";
import { listSystemEventsInput, listSystemEventsOutput } from "./list.schema";

export const systemEventProcedures = {
  listSystemEvents: protectedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/systemevent",
        tags: ["System events"],
        summary: "Query the audit trail of the workspaces you belong to",
      },
      errors: [domainErrors.gatewayTokenOnlyVerifies],
      // The database builds the answer's JSON (list.handler.ts): documented, not validated on every call.
      documentedOutput: listSystemEventsOutput,
    })
    .input(listSystemEventsInput)
    .query(listSystemEventsHandler),
};
