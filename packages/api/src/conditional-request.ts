/** A REST GET's conditional part, shared between the adapter (which reads and writes headers) and the procedure (which decides). */
export interface ConditionalRequest {
  /** The request's `If-None-Match`, as sent. */
  ifNoneMatch: string | undefined;
  /** Set by a procedure whose answer has a version: the answer's `ETag`. */
  etag?: string;
}
