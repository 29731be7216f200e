import { createCaller, typedCallContext } from "@repokeys/api";
import { createWorkspaceFixture, startHarness } from "@repokeys/api/testing";
import { expect, it } from "vitest";
import { renameKey } from "../src/rename-key";

it("renames a key through a typed call from another workspace package", async () => {
  const h = await startHarness();
  try {
    const ws = await createWorkspaceFixture(h.services);
    const member = createCaller(typedCallContext(h.services, ws.MEMBER.actor));
    const { id } = await member.createAiApiKey({ repoId: ws.repo.id, name: "before", aiType: "OPENAI" });

    expect(await renameKey(h.services, ws.MEMBER.actor, ws.repo.id, id, "after")).toBe(
      "AI API key updated successfully",
    );

    const { apiKeys } = await member.listAiApiKeys({ repoId: ws.repo.id });
    expect(apiKeys.find((k) => k.id === id)?.name).toBe("after");
    await expect(renameKey(h.services, ws.VIEWER.actor, ws.repo.id, id, "nope")).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  } finally {
    await h.close();
  }
});
