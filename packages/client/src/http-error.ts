import type { ErrorResponse } from "./contract";

/**
 * A non-2xx answer. Shaped like Flashback's `HttpError` (`status`, `statusText`, `data`) so existing
 * `catch` blocks keep working; `data` is never null here, and the message carries the server's explanation.
 */
export class HttpError extends Error {
  override readonly name = "HttpError";

  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly data: ErrorResponse,
    /** The response headers, e.g. `Retry-After` on a 429. */
    readonly headers: Headers,
  ) {
    super(`HTTP Error ${status}: ${data.message}`);
  }
}

/** The body of a failed response; one that is not our JSON error (a proxy's HTML page, say) becomes a generic one. */
export async function readErrorBody(response: Response): Promise<ErrorResponse> {
  const text = await response.text();
  if (/^application\/json\b/i.test(response.headers.get("content-type") ?? "")) {
    try {
      const body: unknown = JSON.parse(text);
      if (isErrorResponse(body)) return body;
    } catch {
      // not JSON after all: fall through to the generic body
    }
  }
  const reason = response.statusText || "request failed";
  return { success: false, message: `${reason} (HTTP ${response.status}; the response was not an API error body).` };
}

function isErrorResponse(body: unknown): body is ErrorResponse {
  return (
    typeof body === "object" &&
    body !== null &&
    (body as ErrorResponse).success === false &&
    typeof (body as ErrorResponse).message === "string"
  );
}
