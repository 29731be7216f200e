/** What the request log line needs to learn while a request is handled. */
export interface RequestState {
  requestId: string;
  /** The client's address (behind a trusted proxy, the one it saw): per-address limits count by it. */
  clientAddress: string;
  userId?: string;
}
