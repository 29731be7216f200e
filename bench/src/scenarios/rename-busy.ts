// Renames in a busy repository: 64 connections rename keys of one repository while 16 connections
// verify other keys of the same repository, each verification a key's first use in the minute, so each one
// stamps `lastUsedAt` (a write to that key's row). When each change bumped a per-repository counter row, every one of
// those writes did too, so renames and stamps queued behind each other. The floor (`rename-busy-floor`):
// the rename floor with the verify floor (whose KeyVerifier stamps as the app's does) in the same process, as
// the app renames and verifies in one.
// The stamp is once a minute per key and instance: the verifications go at a fixed `verifyRate` over a pool
// larger than one window uses, one pool per server, so every verification in a window is a first use.
import { args, checkOnce, log } from "../harness";
import { renameRequests } from "./rename";
import type { ScenarioFile } from "./scenario";
import { createVerifyPairs, verifyRequests } from "./verify-load";

const connections = 64;
const verifyConnections = 16;
/** Verifications per second alongside: stamps per second, as a gateway in front of many keys would send. */
const verifyRate = 100;

export const renameBusyScenarios: ScenarioFile = async ({ app, baseline, seed: s }) => {
  const poolSize = Math.ceil(verifyRate * (Number(args.duration) + Number(args.warmup)) * 1.25);
  log(`rename-busy: seeding 2 × ${poolSize} keys to verify in the renamed repository`);
  const appPairs = await createVerifyPairs(app.base, s.token, s.updateRepoId, poolSize, "busy app", 8);
  const floorPairs = await createVerifyPairs(app.base, s.token, s.updateRepoId, poolSize, "busy floor", 8);
  for (const [label, base, pair] of [
    ["rename-busy: the app verifies", app.base, appPairs[0]!],
    ["rename-busy: the rename floor verifies", baseline.base, floorPairs[0]!],
  ] as const)
    await checkOnce(
      label,
      `${base}/ai/apikey/verify`,
      {
        method: "POST",
        headers: { authorization: `Bearer ${s.gatewayToken}`, "content-type": "application/json" },
        body: JSON.stringify({ key: pair.key, secret: pair.secret }),
      },
      (b) => (b as { valid?: boolean })?.valid === true,
    );
  const verifying = (base: string, pairs: typeof appPairs) => () => ({
    url: base,
    overallRate: verifyRate,
    ...verifyRequests(pairs, s.gatewayToken),
  });
  return [
    {
      id: "rename-busy-floor",
      label: `rename floor @${connections} while the verify floor, in the same process, verifies and stamps (${verifyRate}/s, ${verifyConnections} connections) in the same repository`,
      pid: baseline.proc.pid,
      target: () => ({ url: baseline.base, ...renameRequests("rest", s, "busy-floor") }),
      renames: true,
      onlyAt: [connections],
      alongside: {
        label: "verify floor",
        connections: verifyConnections,
        target: verifying(baseline.base, floorPairs),
      },
    },
    {
      id: "rename-busy",
      label: `REST PUT @${connections} while the app verifies and stamps (${verifyRate}/s, ${verifyConnections} connections) in the same repository`,
      pid: app.proc.pid,
      target: () => ({ url: app.base, ...renameRequests("rest", s, "busy") }),
      renames: true,
      onlyAt: [connections],
      alongside: { label: "verify", connections: verifyConnections, target: verifying(app.base, appPairs) },
    },
  ];
};
