/**
 * Whether an error means the database is away or overloaded (restarting, unreachable, out of connections,
 * too slow) rather than that something is wrong with the request or our code: such a request may simply be
 * retried later. It walks the cause chain, because pg, the Prisma adapter and Prisma wrap each other's errors.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending = [error];
  while (pending.length) {
    const current = pending.pop();
    if (typeof current !== "object" || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, kind, message, cause, meta } = current as Record<string, unknown>;
    if (typeof code === "string" && unavailableCode(code)) return true;
    if (typeof kind === "string" && unavailableAdapterKinds.has(kind)) return true;
    if (typeof message === "string" && unavailableMessages.some((pattern) => pattern.test(message))) return true;
    pending.push(cause, (meta as Record<string, unknown> | undefined)?.driverAdapterError);
  }
  return false;
}

function unavailableCode(code: string): boolean {
  return (
    socketCodes.has(code) ||
    // SQLSTATE class 08: connection exception
    /^08[0-9A-Z]{3}$/.test(code) ||
    sqlStates.has(code) ||
    prismaCodes.has(code)
  );
}

const socketCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
/** admin/crash shutdown, starting up, too many connections, statement timeout */
const sqlStates = new Set(["57P01", "57P02", "57P03", "53300", "57014"]);
/** can't reach, timed out reaching, server closed the connection, timed out waiting for a pooled connection */
const prismaCodes = new Set(["P1001", "P1002", "P1017", "P2024"]);
/** @prisma/adapter-pg's names for the socket errors above */
const unavailableAdapterKinds = new Set([
  "DatabaseNotReachable",
  "ConnectionClosed",
  "SocketTimeout",
  "TooManyConnections",
]);
/** pg and pg-pool raise these as plain Errors without a code */
const unavailableMessages = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Query read timeout/,
];
