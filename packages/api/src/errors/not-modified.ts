/**
 * Thrown by a procedure when the request's `If-None-Match` names the answer's current version: the caller's
 * copy is current, so the REST adapter answers 304 with no body. A throw rather than a special return value:
 * an adapter that forgot to handle it would answer 500, never an empty list.
 */
export class NotModified extends Error {
  constructor(readonly etag: string) {
    super("not modified");
  }
}
