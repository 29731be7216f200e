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

export interface Context {
  services: ApiServices;
  actor: Actor | null;
  /** Set when the caller presented a gateway token, which may verify keys and do nothing else. */
  gateway?: GatewayHolder | null;
  channel: Channel;
  requestId: string;
  /** REST GETs only: `If-None-Match` in, `ETag` out (see `ConditionalRequest`). */
  conditional?: ConditionalRequest;
}

/** The context for an in-process typed call (`createCaller`): scripts, jobs and tests acting as a user. */
export function typedCallContext(services: ApiServices, actor: Actor | null, requestId = "typed-call"): Context {
  return { services, actor, channel: "typed", requestId };
}

/** The context inside a `protectedProcedure`. */
export type AuthedContext = Context & { actor: Actor };

/** The context inside a `gatewayProcedure`. */
export type GatewayContext = Context & { gateway: GatewayHolder };
