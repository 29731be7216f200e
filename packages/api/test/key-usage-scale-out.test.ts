// Two app instances on one PostgreSQL database count the same keys and flush at the same moments: their counts
// add up in each key's day row, and concurrent flushes (rows locked in one order) never deadlock. PGlite is one
// process's database, so this runs on PostgreSQL (TEST_DATABASE_URL's, or our own).
import { afterAll, beforeAll, expect, it } from "vitest";
import { createCaller, typedCallContext } from "../src";
import { createWorkspaceFixture, type WorkspaceFixture } from "../src/testing";
import { startTwoInstances, type TwoInstances } from "./support/app-instances";

let instances: TwoInstances;
let ws: WorkspaceFixture;

beforeAll(async () => {
  instances = await startTwoInstances();
  ws = await createWorkspaceFixture(instances.a.services);
});
afterAll(() => instances?.close());

it("adds both instances' counts, flushing together round after round", async () => {
  const { a, b } = instances;
  const caller = createCaller(typedCallContext(a.services, ws.MEMBER.actor));
  const ids: string[] = [];
  for (let i = 0; i < 40; i++)
    ids.push((await caller.createAiApiKey({ repoId: ws.repo.id, name: `key ${i}`, aiType: "OTHER" })).id);
  const rounds = 10;
  for (let round = 0; round < rounds; round++) {
    // Counted in opposite orders, so that without a fixed lock order the two statements could deadlock.
    for (const id of ids) a.services.keyUsage.count(id, "valid");
    for (const id of [...ids].reverse()) b.services.keyUsage.count(id, round % 2 ? "valid" : "refused");
    await Promise.all([a.services.keyUsage.flush(), b.services.keyUsage.flush()]);
  }
  const listed = await createCaller(typedCallContext(b.services, ws.VIEWER.actor)).listAiApiKeys({
    repoId: ws.repo.id,
    include: "usage",
    limit: 1000,
  });
  expect(listed.usage!.keys).toHaveLength(ids.length);
  for (const entry of listed.usage!.keys) expect(entry).toMatchObject({ valid: rounds * 1.5, refused: rounds / 2 });
});
