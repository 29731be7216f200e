/** A REST request's conditional part, shared between the adapter (which reads and writes headers) and the procedure (which decides). */
export interface ConditionalRequest {
  /** A GET's `If-None-Match`, as sent. */
  ifNoneMatch: string | undefined;
  /** A change's `If-Match`, as sent. */
  ifMatch?: string;
  /** Set by a procedure whose answer has a version: the answer's `ETag`. */
  etag?: string;
}
