import { keyUsageDays } from "../schemas/key-usage";
import { compactJsonArraySql, compactJsonObjectSql } from "./compact-json-sql";

const dayJsonSql = compactJsonObjectSql({ day: "d.day", valid: "d.valid", refused: "d.refused" });

// `days` is JSON already: to_json passes a json value through as it is.
const keyJsonSql = compactJsonObjectSql({
  apikeyId: "k.id",
  valid: "u.valid",
  refused: "u.refused",
  days: "u.days",
});

/**
 * The list's `usage` (KeysUsage) as compact JSON text: a scalar subquery over the listed keys, `keys` (a FROM
 * item aliased `k`, filtered by `where`), in `orderBy` order. Each key reads one range of KeyUsageDay's primary
 * key (its id, the window's days): at most `keyUsageDays` rows a key. The window ends today in UTC, whatever the
 * session's time zone.
 */
export function keysUsageJsonSql(keys: string, where: string, orderBy: string): string {
  return `(
    SELECT '{"from":' || to_json(w.first)::text || ',"to":' || to_json(w.last)::text || ',"keys":' || (
      SELECT ${compactJsonArraySql(keyJsonSql, orderBy)}
      FROM ${keys}
      CROSS JOIN LATERAL (
        SELECT COALESCE(sum(d.valid), 0) AS valid, COALESCE(sum(d.refused), 0) AS refused,
               (${compactJsonArraySql(dayJsonSql, "d.day")})::json AS days
        FROM "KeyUsageDay" d WHERE d."keyId" = k.id AND d.day BETWEEN w.first AND w.last) u
      WHERE ${where}) || '}'
    FROM (SELECT today - ${keyUsageDays - 1} AS first, today AS last
          FROM (SELECT (now() AT TIME ZONE 'UTC')::date AS today) t) w)`;
}
