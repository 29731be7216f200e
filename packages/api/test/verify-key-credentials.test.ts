import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller, typedCallContext, verifyKeyCredentials } from "../src";
import { createWorkspaceFixture, type Harness, startHarness } from "../src/testing";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

it("accepts a live key with its secret, and nothing else", async () => {
  const ws = await createWorkspaceFixture(h.services);
  const api = createCaller(typedCallContext(h.services, ws.MEMBER.actor));
  const created = await api.createAiApiKey({ repoId: ws.repo.id, name: "gateway", aiType: "ANTHROPIC" });
  const other = await api.createAiApiKey({ repoId: ws.repo.id, name: "other", aiType: "OPENAI" });

  expect(await verifyKeyCredentials(h.services, created.key, created.secret)).toEqual({
    apikeyId: created.id,
    repoId: ws.repo.id,
    aiType: "ANTHROPIC",
  });
  const stamped = await h.services.db.prisma.repoAiApiKey.findUniqueOrThrow({ where: { id: created.id } });
  expect(stamped.lastUsedAt).not.toBeNull();

  expect(await verifyKeyCredentials(h.services, created.key, other.secret)).toBeNull();
  expect(await verifyKeyCredentials(h.services, created.key, `${created.secret}x`)).toBeNull();
  expect(await verifyKeyCredentials(h.services, "rk_unknown", created.secret)).toBeNull();

  await api.deleteAiApiKey({ repoId: ws.repo.id, apikeyId: created.id });
  expect(await verifyKeyCredentials(h.services, created.key, created.secret)).toBeNull();
});
