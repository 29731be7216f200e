import type { IncomingMessage } from "node:http";
import { TRPCError } from "@trpc/server";

/** The documented limit for a REST request body (docs/rest-and-trpc.md, OpenAPI): far above any valid body, far below harm. */
export const maxRestBodyBytes = 16 * 1024;

/** What a body we cannot take gets; the OpenAPI document's examples are made from these too. */
export const requestBodyErrors = {
  tooLarge: (limit: number) =>
    new TRPCError({
      code: "PAYLOAD_TOO_LARGE",
      message: `The request body is larger than the limit of ${limit} bytes.`,
    }),
  notJson: (contentType: string | undefined) =>
    new TRPCError({
      code: "UNSUPPORTED_MEDIA_TYPE",
      message: `The request body must be JSON, sent with Content-Type: application/json${contentType ? ` (got ${contentType.slice(0, 100)})` : ""}.`,
    }),
  unreadable: (reason: string) =>
    new TRPCError({ code: "BAD_REQUEST", message: `Could not read the request body: ${reason}.` }),
  notAnObject: () =>
    new TRPCError({ code: "BAD_REQUEST", message: 'The request body must be a JSON object, e.g. {"name": "…"}.' }),
};

/** Stateless between calls (no `stream` option), so one serves every request. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** JSON by its Content-Type: `application/json`, any case, parameters (`; charset=utf-8`) allowed, nothing else. */
export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/json\s*(;|$)/i.test(contentType);
}

/**
 * The one rule for a request body, REST's and tRPC's alike (single calls and batches): at most `limit` bytes,
 * and a body that is not empty is declared JSON and is valid UTF-8. Returns its text, "" for none; otherwise
 * throws the 413, 415 or 400 that says what is wrong. Bytes that are not UTF-8 are refused rather than read as
 * U+FFFD: what was sent is then what is stored, or nothing.
 */
export async function readJsonBodyText(req: IncomingMessage, limit = maxRestBodyBytes): Promise<string> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw requestBodyErrors.tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw requestBodyErrors.tooLarge(limit);
    chunks.push(chunk);
  }
  if (size === 0) return "";
  const contentType = req.headers["content-type"];
  if (!isJsonContentType(contentType)) throw requestBodyErrors.notJson(contentType);
  try {
    return strictUtf8.decode(Buffer.concat(chunks));
  } catch {
    throw requestBodyErrors.unreadable("it is not valid UTF-8");
  }
}

/**
 * Reads a JSON object body. An empty body is `{}` (every field of an update is optional). Everything else
 * that is not a JSON object gets a 4xx that says what is wrong.
 */
export async function readJsonObjectBody(
  req: IncomingMessage,
  limit = maxRestBodyBytes,
): Promise<Record<string, unknown>> {
  const text = await readJsonBodyText(req, limit);
  if (text === "") return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw requestBodyErrors.unreadable(`it is not valid JSON (${(err as Error).message})`);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw requestBodyErrors.notAnObject();
  }
  return body as Record<string, unknown>;
}
