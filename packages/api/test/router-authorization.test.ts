import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Actor, createCaller, typedCallContext } from "../src";
import { procedureCatalog } from "../src/http/procedure-catalog";
import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";

let h: Harness;
let ws: WorkspaceFixture;
let other: WorkspaceFixture;
let keyId: string;

beforeAll(async () => {
  h = await startHarness();
  ws = await createWorkspaceFixture(h.services);
  other = await createWorkspaceFixture(h.services);
  keyId = (await as(ws.MEMBER.actor).createAiApiKey({ repoId: ws.repo.id, name: "typed", aiType: "OTHER" })).id;
});
afterAll(() => h.close());

const as = (actor: Actor | null) => createCaller(typedCallContext(h.services, actor));

/**
 * One entry per procedure on the router: a call that a signed-in stranger to `ws` must not get through.
 * A procedure added without an entry here fails the inventory test below.
 */
const strangerCalls: Record<string, (caller: ReturnType<typeof as>) => Promise<unknown>> = {
  createAiApiKey: (c) => c.createAiApiKey({ repoId: ws.repo.id, name: "x", aiType: "OPENAI" }),
  listAiApiKeys: (c) => c.listAiApiKeys({ repoId: ws.repo.id }),
  updateAiApiKey: (c) => c.updateAiApiKey({ repoId: ws.repo.id, apikeyId: keyId, name: "x" }),
  deleteAiApiKey: (c) => c.deleteAiApiKey({ repoId: ws.repo.id, apikeyId: keyId }),
  rotateAiApiKey: (c) => c.rotateAiApiKey({ repoId: ws.repo.id, apikeyId: keyId, graceSeconds: 0 }),
  // Only a gateway token verifies; a person, whatever their workspaces, gets FORBIDDEN.
  verifyAiApiKey: (c) => c.verifyAiApiKey({ key: "rk_x", secret: "rks_x" }),
  listSystemEvents: async (c) => {
    const page = await c.listSystemEvents({ skip: 0, take: 500, workspaceId: ws.workspace.id });
    if (page.total > 0) throw new Error("a stranger saw another workspace's events");
    throw new TRPCError({ code: "FORBIDDEN", message: "saw nothing, as it should" });
  },
  createApiToken: async () => {
    throw new TRPCError({ code: "FORBIDDEN", message: "tokens are always the caller's own" });
  },
  listApiTokens: async (c) => {
    const tokens = await c.listApiTokens();
    if (tokens.some((t) => t.name !== "tests")) throw new Error("saw someone else's token");
    throw new TRPCError({ code: "FORBIDDEN", message: "saw only its own" });
  },
  revokeApiToken: async (c) => {
    const [victim] = await as(ws.OWNER.actor).listApiTokens();
    return c.revokeApiToken({ id: victim!.id });
  },
  listWebhookEndpoints: (c) => c.listWebhookEndpoints({ workspaceId: ws.workspace.id }),
  createWebhookEndpoint: (c) =>
    c.createWebhookEndpoint({ workspaceId: ws.workspace.id, url: "https://8.8.8.8/x", events: ["apikey.created"] }),
  updateWebhookEndpoint: (c) =>
    c.updateWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: "x", events: ["apikey.created"] }),
  deleteWebhookEndpoint: (c) => c.deleteWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: "x" }),
  rotateWebhookSecret: (c) => c.rotateWebhookSecret({ workspaceId: ws.workspace.id, endpointId: "x" }),
  resumeWebhookEndpoint: (c) => c.resumeWebhookEndpoint({ workspaceId: ws.workspace.id, endpointId: "x" }),
  listWebhookDeliveries: (c) => c.listWebhookDeliveries({ workspaceId: ws.workspace.id, endpointId: "x" }),
  resendWebhookDelivery: (c) => c.resendWebhookDelivery({ workspaceId: ws.workspace.id, deliveryId: "x" }),
  listWorkspaces: async (c) => {
    const seen = await c.listWorkspaces();
    if (seen.some((w) => w.id === ws.workspace.id)) throw new Error("saw a workspace it is not in");
    throw new TRPCError({ code: "FORBIDDEN", message: "saw only its own" });
  },
};

describe("authorization on every procedure", () => {
  it("has a case for every procedure on the router", () => {
    expect(
      procedureCatalog()
        .map(({ name }) => name)
        .sort(),
    ).toEqual(Object.keys(strangerCalls).sort());
  });

  it.each(Object.keys(strangerCalls))("%s refuses an anonymous caller with UNAUTHORIZED", async (name) => {
    const procedure = (as(null) as unknown as Record<string, (input?: unknown) => Promise<unknown>>)[name]!;
    await expect(
      procedure({ repoId: ws.repo.id, apikeyId: keyId, id: "x", name: "x", aiType: "OPENAI", key: "k", secret: "s" }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
  });

  it.each(Object.keys(strangerCalls))("%s gives a member of another workspace nothing of this one", async (name) => {
    await expect(strangerCalls[name]!(as(other.OWNER.actor))).rejects.toSatisfy(
      (err: unknown) => err instanceof TRPCError && ["FORBIDDEN", "NOT_FOUND"].includes(err.code),
    );
  });
});

describe("gateway tokens", () => {
  const asGateway = () =>
    createCaller({
      ...typedCallContext(h.services, null),
      gateway: { tokenId: "gateway-test", name: "test gateway" },
    });

  it.each(Object.keys(strangerCalls).filter((name) => name !== "verifyAiApiKey"))(
    "%s refuses a gateway token with FORBIDDEN and says what it is for",
    async (name) => {
      const procedure = (asGateway() as unknown as Record<string, (input?: unknown) => Promise<unknown>>)[name]!;
      await expect(
        procedure({ repoId: ws.repo.id, apikeyId: keyId, id: "x", name: "x", aiType: "OPENAI", graceSeconds: 0 }),
      ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/gateway token can only verify/) });
    },
  );

  it("verify keys, which a person cannot, with a message saying what to use", async () => {
    const created = await as(ws.MEMBER.actor).createAiApiKey({ repoId: ws.repo.id, name: "g", aiType: "AWS" });
    expect(await asGateway().verifyAiApiKey({ key: created.key, secret: created.secret })).toMatchObject({
      valid: true,
      apikeyId: created.id,
    });
    await expect(as(ws.OWNER.actor).verifyAiApiKey({ key: created.key, secret: created.secret })).rejects.toMatchObject(
      { code: "FORBIDDEN", message: expect.stringMatching(/use a gateway token/) },
    );
  });
});

describe("rotation follows the rename rules", () => {
  it("lets MEMBER, ADMIN and OWNER rotate and refuses a VIEWER", async () => {
    for (const role of ["MEMBER", "ADMIN", "OWNER"] as const) {
      const { id } = await as(ws.MEMBER.actor).createAiApiKey({ repoId: ws.repo.id, name: role, aiType: "OTHER" });
      await expect(
        as(ws[role].actor).rotateAiApiKey({ repoId: ws.repo.id, apikeyId: id, graceSeconds: 60 }),
      ).resolves.toMatchObject({ success: true, previousId: id });
    }
    await expect(
      as(ws.VIEWER.actor).rotateAiApiKey({ repoId: ws.repo.id, apikeyId: keyId, graceSeconds: 60 }),
    ).rejects.toMatchObject({ code: "FORBIDDEN", message: expect.stringMatching(/VIEWER/) });
  });
});

describe("typed calls", () => {
  it("rename through createCaller like any other channel, recorded as `typed`", async () => {
    const result = await as(ws.ADMIN.actor).updateAiApiKey({
      repoId: ws.repo.id,
      apikeyId: keyId,
      name: "renamed by a typed call",
    });
    expect(result).toEqual({ success: true, message: "AI API key updated successfully" });
    const { events } = await as(ws.VIEWER.actor).listSystemEvents({
      skip: 0,
      take: 1,
      contextId: keyId,
      event: "updated",
    });
    expect(JSON.parse(events[0]!.jsonData!)).toMatchObject({
      via: "typed",
      after: { name: "renamed by a typed call" },
    });
  });

  it("tell the web app which roles may change keys, from the same rule the API enforces", async () => {
    const seen = async (actor: Actor) => (await as(actor).listWorkspaces()).find((w) => w.id === ws.workspace.id);
    expect(await seen(ws.VIEWER.actor)).toMatchObject({ role: "VIEWER", canWriteKeys: false });
    expect(await seen(ws.MEMBER.actor)).toMatchObject({ role: "MEMBER", canWriteKeys: true });
  });

  it("apply the same validation and role rules as REST", async () => {
    await expect(
      as(ws.MEMBER.actor).updateAiApiKey({ repoId: ws.repo.id, apikeyId: keyId, name: " " }),
    ).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      as(ws.VIEWER.actor).updateAiApiKey({ repoId: ws.repo.id, apikeyId: keyId, name: "v" }),
    ).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
