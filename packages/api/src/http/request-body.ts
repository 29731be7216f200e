import type { IncomingMessage } from "node:http";
import { TRPCError } from "@trpc/server";

/** The documented limit for a REST request body (README, OpenAPI): far above any valid body, far below harm. */
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

/**
 * Reads a JSON object body. An empty body is `{}` (every field of an update is optional). Everything else
 * that is not a JSON object gets a 4xx that says what is wrong.
 */
export async function readJsonObjectBody(
  req: IncomingMessage,
  limit = maxRestBodyBytes,
): Promise<Record<string, unknown>> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw requestBodyErrors.tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw requestBodyErrors.tooLarge(limit);
    chunks.push(chunk);
  }
  if (size === 0) return {};
  const contentType = req.headers["content-type"];
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw requestBodyErrors.notJson(contentType);
  }
  let body: unknown;
  try {
    body = JSON.parse(strictUtf8.decode(Buffer.concat(chunks)));
  } catch (err) {
    const reason =
      err instanceof TypeError ? "it is not valid UTF-8" : `it is not valid JSON (${(err as Error).message})`;
    throw requestBodyErrors.unreadable(reason);
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw requestBodyErrors.notAnObject();
  }
  return body as Record<string, unknown>;
}
