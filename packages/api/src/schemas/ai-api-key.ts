import { z } from "zod";
import { displayText, entityId, successMessage } from "./common";

/** The AI providers a key can be for, as in Flashback's `AiType`. */
export const aiTypes = ["OPENAI", "GOOGLE", "ANTHROPIC", "AWS", "OTHER"] as const;
export const aiType = z.enum(aiTypes, { error: `aiType must be one of ${aiTypes.join(", ")}.` });
export type AiType = z.infer<typeof aiType>;

export const aiApiKeyNameMaxLength = 100;
export const aiApiKeyName = displayText("Name", aiApiKeyNameMaxLength);

export const repoId = entityId("repoId");
export const apikeyId = entityId("apikeyId");

/** A key as lists show it: the public half only, never the secret. */
export const repoAiApiKeyDto = z.object({
  id: z.string(),
  name: z.string(),
  repoId: z.string(),
  key: z.string().nullable(),
  aiType,
  createdAt: z.string().describe("ISO 8601"),
  deletedAt: z.string().nullable().describe("ISO 8601"),
  // Beyond Flashback's fields; clients that do not know them ignore them.
  expiresAt: z
    .string()
    .nullable()
    .describe("ISO 8601; from then on the key answers EXPIRED (set at creation or by a rotation's grace period)"),
  lastUsedAt: z.string().nullable().describe("ISO 8601, to the minute; null: never used"),
  version: z
    .string()
    .describe(
      '1 at creation, one more with each rename or rotation of this key (not with its lastUsedAt); send it as `If-Match: "<version>"` with a rename so that it applies only to the key as you last saw it',
    ),
  replacedById: z
    .string()
    .nullable()
    .describe("The id of the key a rotation replaced this one with (it works until expiresAt); null: not rotated"),
});
export type RepoAiApiKeyDto = z.infer<typeof repoAiApiKeyDto>;

/** The furthest ahead a key may be set to expire. */
export const maxKeyLifetimeMs = 366 * 86_400_000;

/** An optional expiry for a new key: in the future, at most a year ahead. Omitted: the key does not expire. */
export const aiApiKeyExpiresAt = z.iso
  .datetime({ offset: true, error: "expiresAt must be an ISO 8601 date and time, e.g. 2027-01-31T00:00:00Z." })
  .refine((value) => Date.parse(value) > Date.now(), "expiresAt must be in the future.")
  .refine((value) => Date.parse(value) <= Date.now() + maxKeyLifetimeMs, "expiresAt must be at most one year ahead.");

export const createRepoAiApiKeyRequest = z.strictObject({
  name: aiApiKeyName,
  aiType,
  expiresAt: aiApiKeyExpiresAt.optional(),
});
export const createRepoAiApiKeyResponse = z.object({
  success: z.literal(true),
  id: z.string(),
  key: z.string(),
  secret: z.string().describe("Shown in this response only; it cannot be read again."),
  message: z.string().optional(),
});

export const getRepoAiApiKeysResponse = z.object({
  success: z.literal(true),
  apiKeys: z.array(repoAiApiKeyDto),
});

export const maxKeyPageSize = 1_000;
export const defaultKeyPageSize = 100;

/**
 * Ours, beyond Flashback's list (which sends all of a repository's keys and stays so for clients that send
 * neither): a page of at most `limit` keys, and `cursor` = the previous page's `nextCursor` for the next one.
 * Query parameters over REST, so numbers arrive as text.
 */
export const keyPageRequest = {
  limit: z.coerce
    .number({ error: "limit must be a whole number." })
    .int("limit must be a whole number.")
    .min(1, "limit must be at least 1.")
    .max(maxKeyPageSize, `limit must be at most ${maxKeyPageSize}.`)
    .optional()
    .describe(
      `Page size (1…${maxKeyPageSize}; ${defaultKeyPageSize} when only cursor is given). Omit limit and cursor for Flashback's whole list.`,
    ),
  cursor: z
    .string({ error: "cursor must be a string." })
    .regex(/^[A-Za-z0-9_-]{1,256}$/, "cursor must be a nextCursor this server gave, passed on as it is.")
    .optional()
    .describe("The previous page's nextCursor"),
};

export const getRepoAiApiKeysPageResponse = getRepoAiApiKeysResponse.extend({
  nextCursor: z.string().nullable().describe("Pass as cursor for the next page; null: this was the last page"),
});

/** What the list answers: Flashback's list, plus `nextCursor` when a page was asked for. */
export const listRepoAiApiKeysResponse = getRepoAiApiKeysResponse.extend({
  nextCursor: getRepoAiApiKeysPageResponse.shape.nextCursor.optional(),
});

/** Fields a key's holder might try to change but never can: the key and secret are fixed for its life. */
const fixedFields = ["id", "key", "secret", "aiType", "repoId", "apikeyId", "createdAt", "deletedAt"];

/** A key's `version` as the caller last saw it (the list's `version`): digits only. */
export const aiApiKeyVersion = z
  .string()
  .regex(/^\d{1,20}$/, "expectedVersion must be a key's version as the list gives it: digits only.");

export const updateRepoAiApiKeyRequest = z.strictObject(
  { name: aiApiKeyName.optional() },
  {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const fixed = issue.keys.filter((key) => fixedFields.includes(key));
      return fixed.length > 0
        ? `${fixed.join(", ")} cannot be modified: only the name of a key can change. ` +
            "The key and secret are fixed; to replace them, rotate the key (POST /repo/{repoId}/ai/apikey/{apikeyId}/rotate)."
        : `Unknown field(s) ${issue.keys.join(", ")}: the only field that can be updated is name.`;
    },
  },
);
export const updateRepoAiApiKeyResponse = successMessage.extend({
  version: z
    .string()
    .optional()
    .describe("Only when the rename was conditional (`If-Match` / `expectedVersion`): the key's version now"),
});

export const defaultRotationGraceSeconds = 86_400;
export const maxRotationGraceSeconds = 604_800;

/**
 * How long the old key keeps verifying after a rotation (0 ends it at once), and the new key's expiry: the old
 * key's unless given, so that a rotation never turns a time-limited key into a permanent one.
 */
export const rotateRepoAiApiKeyRequest = z.strictObject({
  graceSeconds: z
    .number({ error: "graceSeconds must be a number of seconds." })
    .int("graceSeconds must be a whole number of seconds.")
    .min(0, "graceSeconds must be 0 or more.")
    .max(maxRotationGraceSeconds, `graceSeconds must be at most ${maxRotationGraceSeconds} (7 days).`)
    .default(defaultRotationGraceSeconds),
  expiresAt: aiApiKeyExpiresAt
    .optional()
    .describe("The new key's expiry; omitted: the old key's (none if it had none)"),
});
export const rotateRepoAiApiKeyResponse = z.object({
  success: z.literal(true),
  id: z.string().describe("The new key's id"),
  key: z.string(),
  secret: z.string().describe("Shown in this response only; it cannot be read again."),
  previousId: z.string().describe("The rotated key's id"),
  previousExpiresAt: z.string().describe("ISO 8601: when the rotated key stops verifying"),
  expiresAt: z.string().nullable().describe("ISO 8601: when the new key expires; null: never"),
  message: z.string(),
});
export const deleteRepoAiApiKeyResponse = successMessage;
