import { domainErrors } from "../../errors/domain-errors";
import { protectedProcedure } from "../../trpc";
import { createAiApiKeyHandler } from "./create.handler";
import { createAiApiKeyInput, createAiApiKeyOutput } from "./create.schema";
import { deleteAiApiKeyHandler } from "./delete.handler";
import { deleteAiApiKeyInput, deleteAiApiKeyOutput } from "./delete.schema";
import { defaultMaxKeysPerRepo } from "./key-cap";
import { listAiApiKeysHandler } from "./list.handler";
import { listAiApiKeysInput, listAiApiKeysOutput } from "./list.schema";
import { rotateAiApiKeyHandler } from "./rotate.handler";
import { rotateAiApiKeyInput, rotateAiApiKeyOutput } from "./rotate.schema";
import { updateAiApiKeyHandler } from "./update.handler";
import { updateAiApiKeyInput, updateAiApiKeyOutput } from "./update.schema";

const tags = ["Repository AI API keys"];

/** What any procedure on a repository's keys answers to a caller who may not do it. */
const readErrors = [domainErrors.noRepoAccess, domainErrors.gatewayTokenOnlyVerifies];
const writeErrors = [...readErrors, () => domainErrors.readOnlyRole("VIEWER")];

export const aiApiKeyProcedures = {
  createAiApiKey: protectedProcedure
    .meta({
      openapi: { method: "POST", path: "/repo/{repoId}/ai/apikey", tags, summary: "Create a repository AI API key" },
      successStatus: 201,
      errors: [...writeErrors, () => domainErrors.tooManyKeys(defaultMaxKeysPerRepo)],
    })
    .input(createAiApiKeyInput)
    .output(createAiApiKeyOutput)
    .mutation(createAiApiKeyHandler),

  listAiApiKeys: protectedProcedure
    .meta({
      openapi: { method: "GET", path: "/repo/{repoId}/ai/apikey", tags, summary: "List a repository's AI API keys" },
      errors: readErrors,
      conditional: true,
      documentedOutput: listAiApiKeysOutput,
    })
    .input(listAiApiKeysInput)
    .query(listAiApiKeysHandler),

  updateAiApiKey: protectedProcedure
    .meta({
      openapi: {
        method: "PUT",
        path: "/repo/{repoId}/ai/apikey/{apikeyId}",
        tags,
        summary: "Rename a repository AI API key",
      },
      conditional: true,
      errors: [
        ...writeErrors,
        domainErrors.apiKeyNotFound,
        () => domainErrors.staleKeyVersion({ name: "Production gateway", version: "1042" }),
      ],
    })
    .input(updateAiApiKeyInput)
    .output(updateAiApiKeyOutput)
    .mutation(updateAiApiKeyHandler),

  deleteAiApiKey: protectedProcedure
    .meta({
      openapi: {
        method: "DELETE",
        path: "/repo/{repoId}/ai/apikey/{apikeyId}",
        tags,
        summary: "Delete a repository AI API key",
      },
      errors: [...writeErrors, domainErrors.apiKeyNotFound],
    })
    .input(deleteAiApiKeyInput)
    .output(deleteAiApiKeyOutput)
    .mutation(deleteAiApiKeyHandler),

  rotateAiApiKey: protectedProcedure
    .meta({
      openapi: {
        method: "POST",
        path: "/repo/{repoId}/ai/apikey/{apikeyId}/rotate",
        tags,
        summary: "Rotate a repository AI API key: a new key and secret; the old one works until its grace period ends",
      },
      successStatus: 201,
      errors: [
        ...writeErrors,
        domainErrors.apiKeyNotFound,
        domainErrors.apiKeyExpired,
        () => domainErrors.tooManyKeys(defaultMaxKeysPerRepo),
      ],
    })
    .input(rotateAiApiKeyInput)
    .output(rotateAiApiKeyOutput)
    .mutation(rotateAiApiKeyHandler),
};
