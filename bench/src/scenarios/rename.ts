// Renames: the floor (`baseline`, src/scenarios/rename-floor.ts), the REST PUT and the tRPC mutation, each
// request renaming one of the seeded keys to a name no key has held.
import type autocannon from "autocannon";
import { checkOnce } from "../harness";
import type { Seed } from "../seed";
import type { ScenarioFile } from "./scenario";

/** Never reset: every name the bench sends is one no key has held before, so every request really renames. */
let renameCounter = 0;

/** Every request a real rename: a fresh name each time, over a pool of keys the token's user may write. */
export function renameRequests(
  kind: "rest" | "trpc",
  s: Seed,
  tag: string,
  query = "",
): Pick<autocannon.Options, "requests"> {
  const headers = { authorization: `Bearer ${s.token}`, "content-type": "application/json" };
  return {
    requests: [
      {
        setupRequest: (req: autocannon.Request) => {
          const n = renameCounter++;
          const apikeyId = s.updateKeyIds[n % s.updateKeyIds.length]!;
          const name = `${tag} ${n}`;
          return kind === "rest"
            ? {
                ...req,
                method: "PUT",
                path: `/repo/${s.updateRepoId}/ai/apikey/${apikeyId}${query}`,
                headers,
                body: JSON.stringify({ name }),
              }
            : {
                ...req,
                method: "POST",
                path: "/api/trpc/updateAiApiKey",
                headers,
                body: JSON.stringify({ repoId: s.updateRepoId, apikeyId, name }),
              };
        },
      } as autocannon.Request,
    ],
  };
}

export const isUpdated = (b: unknown) => (b as { success?: boolean })?.success === true;

export const renameScenarios: ScenarioFile = async ({ app, baseline, seed: s, auth }) => {
  const keyPath = `/repo/${s.updateRepoId}/ai/apikey/${s.updateKeyIds[0]}`;
  await checkOnce(
    "REST PUT",
    app.base + keyPath,
    { method: "PUT", headers: auth, body: '{"name":"check rest"}' },
    isUpdated,
  );
  await checkOnce(
    "tRPC updateAiApiKey",
    `${app.base}/api/trpc/updateAiApiKey`,
    {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ repoId: s.updateRepoId, apikeyId: s.updateKeyIds[0], name: "check trpc" }),
    },
    (b) => (b as { result?: { data?: { success?: boolean } } })?.result?.data?.success === true,
  );
  await checkOnce(
    "baseline PUT",
    baseline.base + keyPath,
    { method: "PUT", headers: auth, body: '{"name":"check baseline"}' },
    isUpdated,
  );
  return [
    {
      id: "baseline",
      label: "floor: node:http + pg, prepared, the app's token cache, 1 round trip per rename",
      pid: baseline.proc.pid,
      target: () => ({ url: baseline.base, ...renameRequests("rest", s, "baseline") }),
      renames: true,
    },
    {
      id: "baseline-version",
      label: "floor + the app's feature work: the key's new version for the list's ETag (its cost, a line of its own)",
      pid: baseline.proc.pid,
      target: () => ({ url: baseline.base, ...renameRequests("rest", s, "baseline-version", "?version=1") }),
      renames: true,
    },
    {
      id: "baseline-webhooks",
      label:
        "floor + the app's feature work: queueing the change's webhook deliveries (no endpoint subscribed: the probe for one)",
      pid: baseline.proc.pid,
      target: () => ({ url: baseline.base, ...renameRequests("rest", s, "baseline-webhooks", "?webhooks=1") }),
      renames: true,
    },
    {
      id: "baseline-counter",
      label:
        "floor + a per-repository counter row written by every change (the design before issue 20, for comparison)",
      pid: baseline.proc.pid,
      target: () => ({ url: baseline.base, ...renameRequests("rest", s, "baseline-counter", "?counter=1") }),
      renames: true,
    },
    {
      id: "rest",
      label: "REST PUT /repo/{repoId}/ai/apikey/{apikeyId}",
      pid: app.proc.pid,
      target: () => ({ url: app.base, ...renameRequests("rest", s, "rest") }),
      renames: true,
    },
    {
      id: "trpc",
      label: "tRPC POST /api/trpc/updateAiApiKey",
      pid: app.proc.pid,
      target: () => ({ url: app.base, ...renameRequests("trpc", s, "trpc") }),
      renames: true,
    },
  ];
};
