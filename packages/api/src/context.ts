import type { GatewayHolder } from "@repokeys/auth";
import type { ConditionalRequest } from "./conditional-request";
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
 * it: a token cannot mint or revoke tokens. `gateway`: a gateway token (`gateway` holds it), which may only verify keys.
 */
export type Credential =
  | { kind: "token"; tokenId: string }
  | { kind: "session" }
  | { kind: "in-process" }
  | { kind: "gateway" }
  | { kind: "none" };

export interface Context {
  services: ApiServices;
  actor: Actor | null;
  credential: Credential;
  /** Set when the caller presented a gateway token, which may verify keys and do nothing else. */
  gateway?: GatewayHolder | null;
  channel: Channel;
  requestId: string;
  /** REST GETs only: `If-None-Match` in, `ETag` out (see `ConditionalRequest`). */
  conditional?: ConditionalRequest;
}

/** The context for an in-process typed call (`createCaller`): scripts, jobs and tests acting as a user. */
export function typedCallContext(services: ApiServices, actor: Actor | null, requestId = "typed-call"): Context {
  return { services, actor, credential: { kind: "in-process" }, channel: "typed", requestId };
}

/** The context inside a `protectedProcedure`. */
export type AuthedContext = Context & { actor: Actor };

/** The context inside a `gatewayProcedure`. */
export type GatewayContext = Context & { gateway: GatewayHolder };
