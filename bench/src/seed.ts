// The bench's own data, seeded through the admin command line and the REST API before any load.
import { randomBytes } from "node:crypto";
import { parallel } from "./harness";
import { createVerifyPairs, type VerifyPair } from "./scenarios/verify-load";
import { admin } from "./standalone-bench";

export const updateKeyCount = 256;
export const listKeyCount = 1000;
/** A typical repository's list, beside the 1,000-key one. */
export const smallListKeyCount = 20;
export const verifyKeyCount = 256;

export interface Seed {
  token: string;
  updateRepoId: string;
  listRepoId: string;
  smallListRepoId: string;
  updateKeyIds: string[];
  gatewayToken: string;
  verifyRepoId: string;
  verifyPairs: VerifyPair[];
}

export async function seed(appBase: string, env: Record<string, string>): Promise<Seed> {
  const email = `bench-${randomBytes(4).toString("hex")}@example.test`;
  await admin(env, "user", "create", "--email", email, "--name", "Bench User");
  const workspace = JSON.parse(await admin(env, "workspace", "create", "--name", "Bench", "--owner", email));
  const updateRepo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "updates"));
  const listRepo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "thousand"));
  const token = await admin(env, "token", "create", "--email", email, "--name", "bench");
  const create = async (repoId: string, i: number) => {
    const res = await fetch(`${appBase}/repo/${repoId}/ai/apikey`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `key ${i}`, aiType: "OPENAI" }),
    });
    const body = (await res.json()) as { id: string };
    if (res.status !== 201) throw new Error(`seeding a key answered ${res.status}: ${JSON.stringify(body)}`);
    return body.id;
  };
  const updateKeyIds = await parallel(updateKeyCount, 8, (i) => create(updateRepo.id, i));
  await parallel(listKeyCount, 8, (i) => create(listRepo.id, i));
  const smallListRepo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "twenty"));
  await parallel(smallListKeyCount, 8, (i) => create(smallListRepo.id, i));
  const verifyRepo = JSON.parse(await admin(env, "repo", "create", "--workspace", workspace.id, "--name", "verify"));
  const gatewayToken = await admin(env, "gateway-token", "create", "--name", "bench");
  const verifyPairs = await createVerifyPairs(appBase, token, verifyRepo.id, verifyKeyCount, "verify");
  return {
    token,
    updateRepoId: updateRepo.id,
    listRepoId: listRepo.id,
    smallListRepoId: smallListRepo.id,
    updateKeyIds,
    gatewayToken,
    verifyRepoId: verifyRepo.id,
    verifyPairs,
  };
}
