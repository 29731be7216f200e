// The mixed scenario (not a load level; run once after the measured ones): verifications through the app
// while a second instance renames and deletes the keys being verified (src/scenarios/mixed-load.ts).
import { args, enabled, keyCacheTtlMs, log, startApp } from "../harness";
import { stop } from "../processes";
import { type MixedResult, runMixed } from "./mixed-load";
import type { BenchContext } from "./scenario";
import { createVerifyPairs } from "./verify-load";

const mixedKeyCount = 64;

export async function mixedScenario({
  app,
  seed: s,
  databaseUrl,
  masterKeys,
}: BenchContext): Promise<MixedResult | undefined> {
  const mixedDurationS = Number(args["mixed-duration"]);
  if (!enabled.has("mixed") || mixedDurationS <= 0) return undefined;
  const second = await startApp({ name: "app-b", databaseUrl, masterKeys });
  const pairs = await createVerifyPairs(app.base, s.token, s.verifyRepoId, mixedKeyCount, "mixed");
  log(`mixed: ${mixedDurationS} s of verifications through the app while a second instance renames and deletes`);
  const mixed = await runMixed({
    verifyBase: app.base,
    mutateBase: second.base,
    gatewayToken: s.gatewayToken,
    token: s.token,
    repoId: s.verifyRepoId,
    pairs,
    durationS: mixedDurationS,
    boundMs: keyCacheTtlMs,
    verifiers: 8,
    mutateEveryMs: 100,
  });
  log(
    `mixed: ${mixed.verifications} verifications, ${mixed.renames} renames, ${mixed.deletes} deletes, ${mixed.errors} errors; ` +
      `${mixed.staleBeyondBound} answers staler than ${keyCacheTtlMs} ms (largest lag seen ${mixed.maxObservedLagMs} ms)`,
  );
  await stop(second.proc);
  return mixed;
}
