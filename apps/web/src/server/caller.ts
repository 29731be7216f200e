import { randomUUID } from "node:crypto";
import type { Actor } from "@repokeys/api";
import { runtime } from "./services";

/** Server components call procedures in-process, as the signed-in user, recorded as the web channel. */
export function webCaller(actor: Actor) {
  const { services, createCaller } = runtime();
  return createCaller({ services, actor, credential: { kind: "session" }, channel: "web", requestId: randomUUID() });
}
