// What a scenario file gets and gives: run.ts hands each one the running app, the floor and the seed; the
// file checks one request of each kind by hand and returns its load scenarios (its floor's among them).

import type { Server } from "../harness";
import type { Scenario } from "../load";
import type { Seed } from "../seed";

export interface BenchContext {
  app: Server;
  /** The floor of renames and lists (src/baseline-server.ts). */
  baseline: Server;
  seed: Seed;
  databaseUrl: string;
  masterKeys: string;
  /** The seeded token's headers. */
  auth: Record<string, string>;
  /** The verify floor (src/scenarios/verify-floor-server.ts), started by the first file that asks. */
  verifyFloor: () => Promise<Server>;
  /** Floors a scenario file started with `--profile`: stopped with time to write their profile. */
  profiled: Server[];
}

export type ScenarioFile = (ctx: BenchContext) => Promise<Scenario[]>;
