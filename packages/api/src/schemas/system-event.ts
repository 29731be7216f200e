import { z } from "zod";
import { entityId, storableText } from "./common";

/** Flashback numbers contexts and events by their place in these lists; clients may send either form. */
export const systemEventContexts = [
  "workspace",
  "bucket",
  "repo",
  "user",
  "org",
  "workspaceuser",
  "apikey",
  "usersettings",
  "orgsettings",
  "flashbacknode",
  "orgkey",
  "aillm",
  "aillmapikey",
  "conversation",
] as const;
// `rotated` is ours (after Flashback's three, so their indexes keep their meaning).
export const systemEventNames = ["created", "updated", "deleted", "rotated"] as const;
/** The channels a change can come through, as recorded in each event's `jsonData.via`. */
export const systemEventChannels = ["web", "rest", "typed"] as const;
export type SystemEventChannel = (typeof systemEventChannels)[number];
export type SystemEventContext = (typeof systemEventContexts)[number];
export type SystemEventName = (typeof systemEventNames)[number];

const byNameOrIndex = <T extends readonly string[]>(label: string, names: T) =>
  z.union(
    [
      z.enum(names),
      z
        .number()
        .int()
        .min(0)
        .max(names.length - 1),
    ],
    {
      error: `${label} must be one of ${names.join(", ")}, or its 0-based index in that list.`,
    },
  );

const isoTimestamp = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label} must be an ISO 8601 timestamp, e.g. 2026-01-31T12:00:00Z.` });

/**
 * The deepest page and the largest count a query gets: past them a caller narrows the query instead
 * (`before_id` = the last event already seen pages on from there). They bound what one call costs
 * however many events there are, since skipping and counting both read every row they pass.
 */
export const maxSystemEventSkip = 1_000;
export const maxSystemEventTotal = 1_000;

/**
 * A time range runs from its start to its end: one given the other way round would match nothing, silently, so
 * it is refused. The web app's audit filters check the same rule before asking.
 */
export const timeRangeInOrder = (range: { from_timestamp?: string; to_timestamp?: string }) =>
  // A bound that is not a timestamp is in order here: its own rule explains it.
  !range.from_timestamp || !range.to_timestamp || !(Date.parse(range.from_timestamp) > Date.parse(range.to_timestamp));

export const systemEventQueryRequest = z
  .strictObject(
    {
      skip: z
        .number()
        .int()
        .min(0, "skip must be 0 or more.")
        .max(
          maxSystemEventSkip,
          `skip must be at most ${maxSystemEventSkip}: to page further back, pass the last event's id as before_id.`,
        )
        .default(0),
      take: z.number().int().min(1, "take must be at least 1.").max(500, "take must be at most 500.").default(50),
      contextId: storableText("contextId").max(128, "contextId must be at most 128 characters.").optional(),
      context: byNameOrIndex("context", systemEventContexts).optional(),
      event: byNameOrIndex("event", systemEventNames).optional(),
      userId: entityId("userId").optional(),
      workspaceId: entityId("workspaceId").optional(),
      /** Ours, beyond Flashback's: the events of one repository's keys. */
      repoId: entityId("repoId").optional(),
      /** Ours, beyond Flashback's: the channel a change came through (web app, REST API or typed call). */
      via: z.enum(systemEventChannels, { error: `via must be one of ${systemEventChannels.join(", ")}.` }).optional(),
      /** Flashback's unread filter; this server keeps no read marks, so every event counts as unread. */
      showUnread: z.boolean({ error: "showUnread must be true or false." }).optional(),
      from_timestamp: isoTimestamp("from_timestamp").optional(),
      to_timestamp: isoTimestamp("to_timestamp").optional(),
      /**
       * Ours, beyond Flashback's: only the events listed after this one (keyset paging, newest first), to read
       * past `maxSystemEventSkip` at the cost of one page whatever the depth.
       */
      before_id: z.number().int().positive("before_id must be an event id.").optional(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys" ? `Unknown filter(s): ${issue.keys.join(", ")}.` : undefined,
    },
  )
  .refine(timeRangeInOrder, {
    message: "From must be before To: from_timestamp is later than to_timestamp.",
    path: ["from_timestamp"],
  });

export const systemEventResponse = z.object({
  id: z.number(),
  timestamp: z.string(),
  contextId: z.string(),
  context: z.string(),
  event: z.string(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  userEmail: z.string().nullable(),
  workspaceId: z.string().nullable(),
  jsonData: z.string().nullable().describe("JSON: before/after values and the channel (via) of the change"),
});
export type SystemEventDto = z.infer<typeof systemEventResponse>;

export const systemEventQueryResponse = z.object({
  events: z.array(systemEventResponse),
  total: z
    .number()
    .describe(
      `How many events match, counted up to ${maxSystemEventTotal}: ${maxSystemEventTotal} means at least that many.`,
    ),
  skip: z.number(),
  take: z.number(),
});
