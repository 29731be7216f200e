import { z } from "zod";
import { displayText, entityId } from "./common";

/**
 * Active (unrevoked, unexpired) tokens one person may hold. Two creations racing each other both pass the
 * check, so the true bound is this plus the database pool size minus one; one person's browser does not race.
 */
export const maxActiveApiTokensPerUser = 20;

/** How many tokens listApiTokens returns: every active one, then the most recent revoked or expired ones. */
export const maxListedApiTokens = 100;

export const apiTokenDto = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe("The token's first characters, to recognise it; never the token"),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenDto = z.infer<typeof apiTokenDto>;

export const apiTokenNameMaxLength = 100;
export const apiTokenName = displayText("Name", apiTokenNameMaxLength);

export const createApiTokenRequest = z.strictObject({
  name: apiTokenName,
  /** Omitted: the token never expires (it can still be revoked). */
  expiresInDays: z.number().int().min(1, "expiresInDays must be at least 1.").max(3650).optional(),
});
export const createApiTokenResponse = z.object({
  token: z.string().describe("Shown in this response only"),
  apiToken: apiTokenDto,
});
export const revokeApiTokenRequest = z.strictObject({ id: entityId("id") });
