// Verification: the app's POST /ai/apikey/verify beside its floor (src/scenarios/verify-floor-server.ts), over
// the seeded key/secret pairs in turn.
import { checkOnce } from "../harness";
import { verifyKeyCount } from "../seed";
import type { ScenarioFile } from "./scenario";
import { verifyRequests } from "./verify-load";

export const verifyScenarios: ScenarioFile = async ({ app, seed: s, verifyFloor }) => {
  const floor = await verifyFloor();
  const isValid = (b: unknown) => (b as { valid?: boolean })?.valid === true;
  const pair = s.verifyPairs[0]!;
  const gatewayAuth = { authorization: `Bearer ${s.gatewayToken}`, "content-type": "application/json" };
  const verifyBody = JSON.stringify({ key: pair.key, secret: pair.secret });
  await checkOnce(
    "REST POST verify",
    `${app.base}/ai/apikey/verify`,
    { method: "POST", headers: gatewayAuth, body: verifyBody },
    isValid,
  );
  await checkOnce(
    "verify floor",
    `${floor.base}/ai/apikey/verify`,
    { method: "POST", headers: gatewayAuth, body: verifyBody },
    isValid,
  );
  return [
    {
      id: "verify-floor",
      label: "verify floor: node:http + pg, prepared, the same caches (the floor of verify)",
      pid: floor.proc.pid,
      target: () => ({ url: floor.base, ...verifyRequests(s.verifyPairs, s.gatewayToken) }),
      renames: false,
    },
    {
      id: "verify",
      label: `REST POST /ai/apikey/verify (${verifyKeyCount} keys in turn)`,
      pid: app.proc.pid,
      target: () => ({ url: app.base, ...verifyRequests(s.verifyPairs, s.gatewayToken) }),
      renames: false,
    },
  ];
};
