// Lists: the app's GET of 1,000 and of 20 keys, each beside its floor (src/scenarios/list-floor.ts).
import type autocannon from "autocannon";
import { checkOnce } from "../harness";
import { listKeyCount, smallListKeyCount } from "../seed";
import type { ScenarioFile } from "./scenario";

/** GET of a repository's list on `base`, with the seeded token and any `extra` headers. */
export const listOptions =
  (base: string, repoId: string, auth: Record<string, string>, extra: Record<string, string> = {}, query = "") =>
  (): autocannon.Options => ({
    url: base,
    requests: [{ method: "GET", path: `/repo/${repoId}/ai/apikey${query}`, headers: { ...auth, ...extra } }],
  });

export const listScenarios: ScenarioFile = async ({ app, baseline, seed: s, auth }) => {
  for (const [label, base] of [
    ["REST GET list", app.base],
    ["list floor", baseline.base],
  ] as const) {
    for (const [repoId, count] of [
      [s.listRepoId, listKeyCount],
      [s.smallListRepoId, smallListKeyCount],
    ] as const)
      await checkOnce(
        `${label} (${count} keys)`,
        `${base}/repo/${repoId}/ai/apikey`,
        { headers: auth },
        (b) => (b as { apiKeys?: unknown[] })?.apiKeys?.length === count,
      );
  }
  return [
    {
      id: "list-floor",
      label: `list floor: PostgreSQL's JSON text written through (${listKeyCount} keys)`,
      pid: baseline.proc.pid,
      target: listOptions(baseline.base, s.listRepoId, auth),
      renames: false,
    },
    {
      id: "list-floor-etag",
      label: `list floor + the app's ETag (the digest of the keys' versions, its cost as a line of its own; ${listKeyCount} keys)`,
      pid: baseline.proc.pid,
      target: listOptions(baseline.base, s.listRepoId, auth, {}, "?etag=1"),
      renames: false,
    },
    {
      id: "list",
      label: `REST GET /repo/{repoId}/ai/apikey (${listKeyCount} keys)`,
      pid: app.proc.pid,
      target: listOptions(app.base, s.listRepoId, auth),
      renames: false,
    },
    {
      id: "list20-floor",
      label: `list floor (${smallListKeyCount} keys)`,
      pid: baseline.proc.pid,
      target: listOptions(baseline.base, s.smallListRepoId, auth),
      renames: false,
    },
    {
      id: "list20",
      label: `REST GET /repo/{repoId}/ai/apikey (${smallListKeyCount} keys)`,
      pid: app.proc.pid,
      target: listOptions(app.base, s.smallListRepoId, auth),
      renames: false,
    },
  ];
};
