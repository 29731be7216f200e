import { TRPCError } from "@trpc/server";
import { staleVersionError } from "./stale-version";

/** The errors our rules raise, each with the words a person can act on. */
export const domainErrors = {
  unauthenticated: () =>
    new TRPCError({
      code: "UNAUTHORIZED",
      message: "Authentication required: send `Authorization: Bearer <token>` with a valid, unrevoked API token.",
    }),
  noRepoAccess: () =>
    new TRPCError({
      code: "FORBIDDEN",
      message:
        "Insufficient permissions: you are not a member of a workspace that holds this repository (or it does not exist).",
    }),
  readOnlyRole: (role: string) =>
    new TRPCError({
      code: "FORBIDDEN",
      message: `Insufficient permissions: your role in this workspace (${role}) can read API keys but not change them. Ask a workspace owner or admin for the MEMBER role.`,
    }),
  staleKeyVersion: staleVersionError,
  apiKeyNotFound: () =>
    new TRPCError({
      code: "NOT_FOUND",
      message: "API key not found: it does not exist in this repository, or it has been deleted.",
    }),
  personalTokenCannotVerify: () =>
    new TRPCError({
      code: "FORBIDDEN",
      message:
        "Personal API tokens cannot verify keys: use a gateway token (an operator makes one with `npm run admin -- gateway-token create --name <name>`).",
    }),
  gatewayTokenOnlyVerifies: () =>
    new TRPCError({
      code: "FORBIDDEN",
      message: "A gateway token can only verify keys (POST /ai/apikey/verify); use a personal API token for this.",
    }),
  apiKeyExpired: () =>
    new TRPCError({
      code: "CONFLICT",
      message: "This API key has expired, so it cannot be rotated: create a new key instead.",
    }),
  apiKeyAlreadyRotated: () =>
    new TRPCError({
      code: "CONFLICT",
      message:
        "This API key was already rotated: rotate the key that replaced it instead. Delete this one to end its grace period early.",
    }),
  tooManyKeys: (max: number) =>
    new TRPCError({
      code: "FORBIDDEN",
      message: `This repository already has ${max} keys (not deleted; rotated and expired keys count until deleted), the most one may have. Delete keys it no longer uses, then try again.`,
    }),
  apiTokenNotFound: () => new TRPCError({ code: "NOT_FOUND", message: "API token not found, or already revoked." }),
  tokenCannotManageTokens: () =>
    new TRPCError({
      code: "FORBIDDEN",
      message:
        "An API token cannot create or revoke API tokens: sign in to the web app (API tokens page), or ask an operator to use `npm run admin -- token create`.",
    }),
  tooManyApiTokens: (max: number) =>
    new TRPCError({
      code: "FORBIDDEN",
      message: `You already have ${max} active API tokens, the most one person may have. Revoke one you no longer use, then create this one.`,
    }),
  workspaceNotFound: () =>
    new TRPCError({
      code: "NOT_FOUND",
      message: "Workspace not found: it does not exist, or you are not a member of it.",
    }),
  webhooksNeedAdmin: (role: string) =>
    new TRPCError({
      code: "FORBIDDEN",
      message: `Insufficient permissions: your role in this workspace (${role}) cannot manage its webhooks. Ask a workspace owner or admin.`,
    }),
  webhookEndpointNotFound: () =>
    new TRPCError({
      code: "NOT_FOUND",
      message: "Webhook endpoint not found: it does not exist in this workspace, or it has been deleted.",
    }),
  webhookDeliveryNotFound: () =>
    new TRPCError({
      code: "NOT_FOUND",
      message: "Webhook delivery not found in this workspace (or its endpoint has been deleted).",
    }),
  tooManyWebhookEndpoints: (max: number) =>
    new TRPCError({
      code: "FORBIDDEN",
      message: `This workspace already has ${max} webhook endpoints, the most it may have. Delete one it no longer uses, then add this one.`,
    }),
  webhookUrlRefused: (reason: string) => new TRPCError({ code: "BAD_REQUEST", message: reason }),
};
