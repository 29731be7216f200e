import { createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "@repokeys/api/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ApiClient, HttpError } from "../src";

let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  h = await startHarness({ rateLimits: { restPerMinute: 2, signInPerAccount: 0, signInPerAddress: 0 } });
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => h.close());

it("429: over the per-token limit, with the Retry-After header on the HttpError", async () => {
  const client = new ApiClient(h.baseUrl);
  client.setAuthToken(ws.VIEWER.token);
  await client.getRepoAiApiKeys(ws.repo.id);
  await client.getRepoAiApiKeys(ws.repo.id);
  const error = await client.getRepoAiApiKeys(ws.repo.id).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(HttpError);
  const { status, data, headers } = error as HttpError;
  expect(status).toBe(429);
  expect(data).toMatchObject({ success: false, code: "TOO_MANY_REQUESTS", message: expect.any(String) });
  expect(Number(headers.get("retry-after"))).toBeGreaterThan(0);
});
