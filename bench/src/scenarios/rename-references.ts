// On request only (`--scenarios …,baseline-bare,rest-nocache`): the old bare floor, a labelled reference no
// ratio is taken against, and the REST rename on an instance with its token cache off.
import { enabled, startApp, startBaseline } from "../harness";
import type { Scenario } from "../load";
import { renameRequests } from "./rename";
import type { ScenarioFile } from "./scenario";

export const renameReferenceScenarios: ScenarioFile = async ({ seed: s, databaseUrl, masterKeys }) => {
  const out: Scenario[] = [];
  if (enabled.has("baseline-bare")) {
    const bare = await startBaseline("baseline-bare", databaseUrl, { bare: true });
    out.push({
      id: "baseline-bare",
      label: "reference only: the old bare floor (unprepared, no token cache, 2 round trips)",
      pid: bare.proc.pid,
      target: () => ({ url: bare.base, ...renameRequests("rest", s, "baseline-bare") }),
      renames: true,
    });
  }
  if (enabled.has("rest-nocache")) {
    const uncached = await startApp({ name: "app-nocache", databaseUrl, masterKeys, tokenCacheTtlMs: 0 });
    out.push({
      id: "rest-nocache",
      label: "REST PUT with the token cache off (TOKEN_CACHE_TTL_MS=0)",
      pid: uncached.proc.pid,
      target: () => ({ url: uncached.base, ...renameRequests("rest", s, "rest-nocache") }),
      renames: true,
    });
  }
  return out;
};
