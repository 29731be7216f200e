import type { AnyProcedure } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, appRouter, type Context, createCaller } from "../src";
import { toPublicError } from "../src/errors/public-error";
import { procedureInvoker } from "../src/http/procedure-invoker";
import { restRoutesOf } from "../src/http/rest-routes";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

// The REST adapter calls procedures through `procedureInvoker` instead of `createCaller` (it is cheaper per
// call). Every rule lives in the procedures' middlewares and handlers, so the two must answer alike: the same
// data, or the same error with the same public body. Each REST procedure is called both ways, by every kind
// of caller, with good and bad input.

let h: Harness;
let ws: WorkspaceFixture;
let other: WorkspaceFixture;
const keyIds: string[] = [];
let endpointId: string;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
  other = await createWorkspaceFixture(h.services);
  for (const name of ["first", "second"]) {
    const key = await createCaller(context(ws.MEMBER.actor)).createAiApiKey({
      repoId: ws.repo.id,
      name,
      aiType: "OPENAI",
    });
    keyIds.push(key.id);
  }
  endpointId = (
    await createCaller(context(ws.OWNER.actor)).createWebhookEndpoint({
      workspaceId: ws.workspace.id,
      url: "https://93.184.215.14/invoker",
      events: ["apikey.expiring"],
    })
  ).endpoint.id;
});
afterAll(() => h.close());

function context(actor: Actor | null): Context {
  return {
    services: h.services,
    actor,
    credential: actor ? { kind: "token", tokenId: "equivalence-test" } : { kind: "none" },
    channel: "rest",
    requestId: "equivalence-test",
  };
}

type Outcome = { ok: true; data: unknown } | { ok: false; status: number; body: unknown };

async function outcome(call: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, data: await call() };
  } catch (error) {
    const { status, body } = toPublicError(error as never, "equivalence-test");
    return { ok: false, status, body };
  }
}

const procedures = appRouter._def.procedures as Record<string, AnyProcedure>;
const routes = restRoutesOf(appRouter);

/** Inputs that change nothing a second identical call would see differently (reads, refusals, bad input). */
function stableInputs(): Record<string, unknown[]> {
  const repoId = ws.repo.id;
  const apikeyId = keyIds[0]!;
  const workspaceId = ws.workspace.id;
  return {
    createAiApiKey: [{ repoId }, { repoId, name: "", aiType: "OPENAI" }, { repoId: other.repo.id, name: "x" }],
    listAiApiKeys: [{ repoId }, { repoId: other.repo.id }, { repoId: "not-an-id" }, {}],
    updateAiApiKey: [{ repoId, apikeyId, name: 5 }, { repoId, apikeyId: "missing", name: "x" }, { repoId }],
    deleteAiApiKey: [
      { repoId, apikeyId: "missing" },
      { repoId: other.repo.id, apikeyId },
    ],
    rotateAiApiKey: [
      { repoId, apikeyId, graceSeconds: -1 },
      { repoId, apikeyId: "missing" },
    ],
    verifyAiApiKey: [{ key: "rk_x", secret: "rks_x" }, {}],
    listSystemEvents: [{ workspaceId: ws.workspace.id, take: 5 }, { take: 100_000 }, { skip: -1 }],
    listWebhookEndpoints: [{ workspaceId }, { workspaceId: other.workspace.id }, {}],
    createWebhookEndpoint: [
      { workspaceId, url: "http://93.184.215.14/x", events: ["apikey.created"] },
      { workspaceId, url: "https://93.184.215.14/x", events: [] },
      { workspaceId, url: "https://93.184.215.14/x" },
    ],
    updateWebhookEndpoint: [{ workspaceId, endpointId: "missing", events: ["apikey.created"] }, { workspaceId }],
    deleteWebhookEndpoint: [
      { workspaceId, endpointId: "missing" },
      { workspaceId: other.workspace.id, endpointId },
    ],
    rotateWebhookSecret: [{ workspaceId, endpointId: "missing" }, {}],
    resumeWebhookEndpoint: [{ workspaceId, endpointId: "missing" }, {}],
    listWebhookDeliveries: [
      { workspaceId, endpointId },
      { workspaceId, endpointId, limit: 0 },
    ],
    resendWebhookDelivery: [
      { workspaceId, deliveryId: "missing" },
      { workspaceId: other.workspace.id, deliveryId: "x" },
    ],
  };
}

describe("procedureInvoker answers exactly as createCaller", () => {
  it("covers every REST procedure", () => {
    expect(Object.keys(stableInputs()).sort()).toEqual(routes.map((r) => r.procedure).sort());
  });

  it("for reads, refusals and bad input, by every kind of caller", async () => {
    const callers: Record<string, Actor | null> = {
      owner: ws.OWNER.actor,
      viewer: ws.VIEWER.actor,
      stranger: other.OWNER.actor,
      anonymous: null,
    };
    let errors = 0;
    let successes = 0;
    for (const [name, inputs] of Object.entries(stableInputs())) {
      const invoke = procedureInvoker(procedures[name]!, name);
      for (const input of inputs) {
        for (const [who, actor] of Object.entries(callers)) {
          const viaCaller = await outcome(() =>
            (createCaller(context(actor)) as unknown as Record<string, (i: unknown) => Promise<unknown>>)[name]!(input),
          );
          const viaInvoker = await outcome(() => invoke(context(actor), input));
          expect(viaInvoker, `${name} as ${who} with ${JSON.stringify(input)}`).toEqual(viaCaller);
          if (viaCaller.ok) successes++;
          else errors++;
        }
      }
    }
    // Both kinds were really compared, not only refusals.
    expect(successes).toBeGreaterThan(3);
    expect(errors).toBeGreaterThan(30);
  });

  it("for a change: the same answer, and the change is made once", async () => {
    const invoke = procedureInvoker(procedures.updateAiApiKey!, "updateAiApiKey");
    const input = { repoId: ws.repo.id, apikeyId: keyIds[1]!, name: "renamed through the invoker" };
    const viaInvoker = await invoke(context(ws.MEMBER.actor), input);
    const viaCaller = await createCaller(context(ws.MEMBER.actor)).updateAiApiKey({
      ...input,
      name: "then the caller",
    });
    expect(viaInvoker).toEqual(viaCaller);
    const { apiKeys } = await createCaller(context(ws.MEMBER.actor)).listAiApiKeys({ repoId: ws.repo.id });
    expect(apiKeys.find((k) => k.id === keyIds[1])?.name).toBe("then the caller");
  });
});
