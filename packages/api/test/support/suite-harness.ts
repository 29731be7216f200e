import { afterAll, beforeAll } from "vitest";
import {
  createWorkspaceFixture,
  type Harness,
  type HarnessOptions,
  startHarness,
  type WorkspaceFixture,
} from "../../src/testing";

/** A harness and a workspace fixture for the calling suite: started before its tests, closed after them. */
export function suiteHarness(options?: HarnessOptions): { h: Harness; ws: WorkspaceFixture } {
  const suite = {} as { h: Harness; ws: WorkspaceFixture };
  beforeAll(async () => {
    suite.h = await startHarness(options);
    suite.ws = await createWorkspaceFixture(suite.h.services);
  });
  afterAll(() => suite.h?.close());
  return suite;
}
