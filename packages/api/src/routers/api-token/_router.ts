import { z } from "zod";
import { apiTokenDto } from "../../schemas/api-token";
import { credentialManagementProcedure, protectedProcedure } from "../../trpc";
import { createApiTokenHandler } from "./create.handler";
import { createApiTokenInput, createApiTokenOutput } from "./create.schema";
import { listApiTokensHandler } from "./list.handler";
import { revokeApiTokenHandler } from "./revoke.handler";
import { revokeApiTokenInput, revokeApiTokenOutput } from "./revoke.schema";

export const apiTokenProcedures = {
  createApiToken: credentialManagementProcedure
    .input(createApiTokenInput)
    .output(createApiTokenOutput)
    .mutation(createApiTokenHandler),
  listApiTokens: protectedProcedure.output(z.array(apiTokenDto)).query(listApiTokensHandler),
  revokeApiToken: credentialManagementProcedure
    .input(revokeApiTokenInput)
    .output(revokeApiTokenOutput)
    .mutation(revokeApiTokenHandler),
};
