import type { ApiServices } from "./services";

/** How a call came in; recorded on every audit event. */
export type Channel = "web" | "rest" | "typed";

export interface Actor {
  userId: string;
  email: string;
  name: string;
}

/**
 * How the actor proved who they are: an API token (by its id, never the token), a web session, or nothing
 * at all because the caller is code running in this process on the operator's behalf (the admin command
 * line, scripts, tests); `none` for an HTTP caller who showed nothing. What a caller may do can depend on
 * it: a token cannot mint or revoke tokens.
 */
export type Credential =
  | { kind: "token"; tokenId: string }
  | { kind: "session" }
  | { kind: "in-process" }
  | { kind: "none" };

export interface Context {
  services: ApiServices;
  actor: Actor | null;
  credential: Credential;
  channel: Channel;
  requestId: string;
}

/** The context for an in-process typed call (`createCaller`): scripts, jobs and tests acting as a user. */
export function typedCallContext(services: ApiServices, actor: Actor | null, requestId = "typed-call"): Context {
  return { services, actor, credential: { kind: "in-process" }, channel: "typed", requestId };
}

/** The context inside a `protectedProcedure`. */
export type AuthedContext = Context & { actor: Actor };
