// The conditional list: the app's GET with If-None-Match on the unchanged 1,000-key repository, every answer
// a 304, compared with the 1,000-key list floor (what a 304 saves).
import { log } from "../harness";
import { listKeyCount } from "../seed";
import { listOptions } from "./list";
import type { ScenarioFile } from "./scenario";

export const conditionalListScenarios: ScenarioFile = async ({ app, baseline, seed: s, auth }) => {
  // The 1,000-key repository changes no more from here on: its ETag stays, and a conditional list gets 304.
  const listEtag = (await fetch(`${app.base}/repo/${s.listRepoId}/ai/apikey`, { headers: auth })).headers.get("etag");
  // The floor's ETag line computes the tag with the app's expression: both must agree.
  const floorEtag = (
    await fetch(`${baseline.base}/repo/${s.listRepoId}/ai/apikey?etag=1`, { headers: auth })
  ).headers.get("etag");
  if (!listEtag || listEtag !== floorEtag) throw new Error(`the list's ETag: app ${listEtag}, floor ${floorEtag}`);
  const notModified = await fetch(`${app.base}/repo/${s.listRepoId}/ai/apikey`, {
    headers: { ...auth, "if-none-match": listEtag },
  });
  if (notModified.status !== 304 || (await notModified.text()) !== "")
    throw new Error(`a conditional list answered ${notModified.status}, not 304 with no body`);
  log("REST GET list with If-None-Match: 304, no body ✓");
  return [
    {
      id: "list-304",
      label: `REST GET /repo/{repoId}/ai/apikey with If-None-Match, unchanged (${listKeyCount} keys): 304`,
      pid: app.proc.pid,
      target: listOptions(app.base, s.listRepoId, auth, { "if-none-match": listEtag }),
      renames: false,
      expects304: true,
    },
  ];
};
