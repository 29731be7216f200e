import { keyUsageDays } from "../schemas/key-usage";

/**
 * The list's `usage` (KeysUsage) as compact JSON text: a scalar subquery over the listed keys, `keys` (a FROM
 * item aliased `k`, filtered by `where`), in `orderBy` order. Each key reads one range of KeyUsageDay's primary
 * key (its id, the window's days): at most `keyUsageDays` rows a key. The window ends today in UTC, whatever the
 * session's time zone. Built by plain concatenation (days and counts need no escaping; the id goes through
 * to_json), which costs a third of compactJsonObjectSql's to_json per field over 30,000 days of 1,000 keys.
 */
export function keysUsageJsonSql(keys: string, where: string, orderBy: string): string {
  return `(
    SELECT '{"from":"' || to_char(w.first, 'YYYY-MM-DD') || '","to":"' || to_char(w.last, 'YYYY-MM-DD')
      || '","keys":[' || COALESCE((
      SELECT string_agg('{"apikeyId":' || to_json(k.id)::text || ',"valid":' || u.valid || ',"refused":' || u.refused
                        || ',"days":[' || u.days || ']}', ',' ORDER BY ${orderBy})
      FROM ${keys}
      CROSS JOIN LATERAL (
        SELECT COALESCE(sum(d.valid), 0) AS valid, COALESCE(sum(d.refused), 0) AS refused,
               COALESCE(string_agg('{"day":"' || to_char(d.day, 'YYYY-MM-DD') || '","valid":' || d.valid
                                   || ',"refused":' || d.refused || '}', ',' ORDER BY d.day), '') AS days
        FROM "KeyUsageDay" d WHERE d."keyId" = k.id AND d.day BETWEEN w.first AND w.last) u
      WHERE ${where}), '') || ']}'
    FROM (SELECT today - ${keyUsageDays - 1} AS first, today AS last
          FROM (SELECT (now() AT TIME ZONE 'UTC')::date AS today) t) w)`;
}
