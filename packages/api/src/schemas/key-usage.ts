import { z } from "zod";
import { getRepoAiApiKeysPageResponse, getRepoAiApiKeysResponse } from "./ai-api-key";
import { storableText } from "./common";

/** How many UTC days of usage the list shows, today included: the bound on what a usage read scans. */
export const keyUsageDays = 30;

/**
 * Ours, beyond Flashback's list: `include=usage` adds `usage`; without it the answer is as before. Names it does
 * not know are ignored, as unknown query parameters are (a Flashback client may send its own `include`).
 */
export const keyListInclude = storableText("include")
  .max(1_000, "include must be at most 1000 characters.")
  .describe(
    `Comma-separated; usage adds each listed key's verifications over the last ${keyUsageDays} UTC days, for a page only: with limit and/or cursor, else 400 (such an answer has no ETag and is never 304). Other names are ignored.`,
  )
  .optional();

/** Whether a list request's `include` asks for usage. */
export const includesUsage = (include: string | undefined) => include?.split(",").includes("usage") === true;

const count = z.number().int().min(0);

export const keyUsageDay = z.object({
  day: z.string().describe("YYYY-MM-DD (UTC)"),
  valid: count.describe("verifications answered valid"),
  refused: count.describe("verifications of this key refused: a wrong secret, or the key expired"),
});

export const keyUsage = z.object({
  apikeyId: z.string(),
  valid: count.describe("valid answers over the window"),
  refused: count.describe("refused answers over the window"),
  days: z
    .array(keyUsageDay)
    .describe("The days with at least one verification, oldest first; a day not listed had none"),
});

export const keysUsage = z
  .object({
    from: z.string().describe("The window's first day, YYYY-MM-DD (UTC)"),
    to: z.string().describe("The window's last day (today, UTC), YYYY-MM-DD"),
    keys: z.array(keyUsage).describe("One entry per listed key, in the list's order"),
  })
  .describe(
    "Counted in memory by each instance and written at most once a minute (USAGE_FLUSH_INTERVAL_MS), so the last minute may be missing.",
  );
export type KeysUsage = z.infer<typeof keysUsage>;

/** The list (or a page of it) with `include=usage`. */
export const getRepoAiApiKeysWithUsageResponse = getRepoAiApiKeysResponse.extend({
  nextCursor: getRepoAiApiKeysPageResponse.shape.nextCursor.optional(),
  usage: keysUsage,
});
