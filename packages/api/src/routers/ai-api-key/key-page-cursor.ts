import { TRPCError } from "@trpc/server";

/**
 * Where a page of a repository's keys ends: the last listed key's `createdAt` (to the millisecond, as stored)
 * and id, the list's order. Opaque to clients (base64url), and nothing they could not read in the page itself.
 */
export interface KeyPagePosition {
  createdAt: string;
  id: string;
}

/** The SQL text of a listed key's position (a `"RepoAiApiKey"` row aliased `k`), as `decodeKeyPageCursor` reads it. */
export const keyPagePositionSql = `to_char(k."createdAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || '|' || k.id`;

const position = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([A-Za-z0-9_-]{1,128})$/;

export const encodeKeyPageCursor = (positionText: string) => Buffer.from(positionText, "utf8").toString("base64url");

export function decodeKeyPageCursor(cursor: string): KeyPagePosition {
  const match = position.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match || Number.isNaN(Date.parse(match[1]!)))
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: "cursor is not one this server gave: pass the previous page's nextCursor as it is.",
    });
  return { createdAt: match[1]!, id: match[2]! };
}
