/** What the request log line needs to learn while a request is handled. */
export interface RequestState {
  requestId: string;
  userId?: string;
}
