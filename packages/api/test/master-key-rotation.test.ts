// Rotating the master key: add a version, re-encrypt while the app serves, retire the old version.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { formatMasterKey, openSecret, parseMasterKeys } from "@repokeys/crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type ApiServices, createApiServices, createCaller, createLogger, typedCallContext } from "../src";
import { rotateMasterKey } from "../src/admin/rotate-master-key";
import { api, createWorkspaceFixture, type Harness, startHarness, type WorkspaceFixture } from "../src/testing";
import { openWebhookSecret } from "../src/webhooks/webhook-secret";
import { runAdmin } from "./support/admin-command";
import { eventChainProblems } from "./support/event-chain";

const oldKey = formatMasterKey(1);
const newKey = formatMasterKey(2);

let h: Harness;
let ws: WorkspaceFixture;

beforeAll(async () => {
  h = await startHarness({ masterKeys: oldKey });
  ws = await createWorkspaceFixture(h.services);
});
afterAll(() => h?.close());

/** Another app instance's services on the same database, with its own MASTER_KEYS. */
const servicesWith = (masterKeys: string) =>
  createApiServices(
    h.services.db,
    { masterKeys, tokenCacheTtlMs: 0, embeddedDataDir: undefined },
    createLogger("silent"),
  );

/** Decrypts a stored secret the way an operator would: the row, the keyring, the public key as associated data. */
async function storedSecret(services: ApiServices, id: string) {
  const row = await services.db.prisma.repoAiApiKey.findUniqueOrThrow({ where: { id } });
  const sealed = { masterKeyVersion: row.masterKeyVersion, ciphertext: Buffer.from(row.secretCiphertext) };
  return { version: row.masterKeyVersion, secret: openSecret(services.keyring, sealed, row.key) };
}

it("re-encrypts every secret under the new version while creates and renames go on, and the old version can then go", async () => {
  // Keys created under version 1, some of them deleted since: their secrets are stored too.
  const secrets = new Map<string, string>();
  for (let i = 0; i < 40; i++) {
    const created = await api(h.baseUrl, "POST", `/repo/${ws.repo.id}/ai/apikey`, {
      token: ws.MEMBER.token,
      body: { name: `v1-${i}`, aiType: "OPENAI" },
    });
    expect(created.status).toBe(201);
    secrets.set(created.json.id, created.json.secret);
    if (i % 10 === 0) {
      const deleted = await api(h.baseUrl, "DELETE", `/repo/${ws.repo.id}/ai/apikey/${created.json.id}`, {
        token: ws.MEMBER.token,
      });
      expect(deleted.status).toBe(200);
    }
  }

  // Step 1: every instance gets MASTER_KEYS="2:new,1:old". Old secrets still decrypt; new ones use version 2.
  const both = await servicesWith(`${newKey},${oldKey}`);
  for (const [id, secret] of secrets) expect(await storedSecret(both, id)).toEqual({ version: 1, secret });

  // Step 2: rotate (two runs at once, as two operators might) while the app creates and renames keys.
  const caller = createCaller(typedCallContext(both, ws.MEMBER.actor));
  const keyIds = [...secrets.keys()];
  const traffic = (async () => {
    for (let i = 0; i < 15; i++) {
      const [created] = await Promise.all([
        caller.createAiApiKey({ repoId: ws.repo.id, name: `during-${i}`, aiType: "GOOGLE" }),
        caller
          .updateAiApiKey({ repoId: ws.repo.id, apikeyId: keyIds[(i * 3 + 1) % keyIds.length]!, name: `renamed-${i}` })
          .catch((err: Error) => {
            // A deleted key answers 404: that is the rename's business, not the rotation's.
            if (!/not found/.test(err.message)) throw err;
          }),
      ]);
      secrets.set(created.id, created.secret);
    }
  })();
  const [first, second] = await Promise.all([
    rotateMasterKey(both, { batchSize: 7 }),
    rotateMasterKey(both, { batchSize: 5 }),
    traffic,
  ]);
  console.info(`rotation: ${JSON.stringify(first)} and ${JSON.stringify(second)}`);
  expect(first.reencrypted + second.reencrypted).toBe(40);
  for (const summary of [first, second]) {
    expect(summary).toMatchObject({ currentVersion: 2, failed: [], remaining: 0, complete: true });
  }
  // A run after the end has nothing left to do.
  expect(await rotateMasterKey(both)).toMatchObject({ reencrypted: 0, batches: 0, complete: true });

  // Step 3: MASTER_KEYS="2:new" alone decrypts every secret, unchanged.
  const onlyNew = await servicesWith(newKey);
  expect(parseMasterKeys(newKey).versions).toEqual([2]);
  expect(secrets.size).toBe(55);
  for (const [id, secret] of secrets) expect(await storedSecret(onlyNew, id)).toEqual({ version: 2, secret });
  // The credential check key was re-sealed once, by one of the two runs, and is the same key: credentials
  // minted under version 1 still pass their check with version 2 alone.
  expect([first, second].map((s) => s.credentialCheckKey.state).sort()).toEqual(["current", "reencrypted"]);
  expect(onlyNew.credentials.form("apiToken", ws.MEMBER.token)).toBe("checked");
  // Renames during the rotation kept their history; rotation itself changed no name and wrote no event.
  expect(await eventChainProblems(h.services.db)).toEqual([]);
});

it("reports a secret it cannot decrypt and re-encrypts the rest; running again resumes", async () => {
  const v2 = await servicesWith(`${newKey},${oldKey}`);
  const v3 = formatMasterKey(3);
  const onV2 = await createCaller(typedCallContext(v2, ws.MEMBER.actor)).createAiApiKey({
    repoId: ws.repo.id,
    name: "tampered",
    aiType: "AWS",
  });
  // The ciphertext is altered in the database (or the operator dropped a version too early).
  await h.services.db.sql.query(
    `UPDATE "RepoAiApiKey" SET "secretCiphertext" = "secretCiphertext" || '\\x00'::bytea WHERE id = $1`,
    [onV2.id],
  );
  const withV3 = await servicesWith(`${v3},${newKey}`);
  const summary = await rotateMasterKey(withV3, { batchSize: 10 });
  expect(summary.failed).toEqual([
    { id: onV2.id, masterKeyVersion: 2, reason: expect.stringMatching(/failed authentication/) },
  ]);
  expect(summary).toMatchObject({ currentVersion: 3, remaining: 1, complete: false });
  expect(summary.reencrypted).toBeGreaterThan(50);
  // Nothing else is left on version 2; the next run only meets the broken one again.
  expect(await rotateMasterKey(withV3)).toMatchObject({ reencrypted: 0, remaining: 1 });
});

it("re-seals webhook endpoints' signing secrets too, bound to their endpoint", async () => {
  const [v4, v5] = [formatMasterKey(4), formatMasterKey(5)];
  const own = await startHarness({ masterKeys: v4 });
  try {
    const fixture = await createWorkspaceFixture(own.services);
    const owner = createCaller(typedCallContext(own.services, fixture.OWNER.actor));
    const { endpoint, secret: replaced } = await owner.createWebhookEndpoint({
      workspaceId: fixture.workspace.id,
      url: "https://8.8.8.8/hooks",
      events: ["apikey.created"],
    });
    // The replaced secret is kept (it signs for a day after the rotation): re-sealed as well.
    const { secret } = await owner.rotateWebhookSecret({ workspaceId: fixture.workspace.id, endpointId: endpoint.id });
    const both = await createApiServices(
      own.services.db,
      { masterKeys: `${v5},${v4}`, tokenCacheTtlMs: 0, embeddedDataDir: undefined, deliverWebhooks: false },
      createLogger("silent"),
    );
    expect(await rotateMasterKey(both)).toMatchObject({ failed: [], remaining: 0, complete: true });
    const [row] = await own.services.db.sql.query<{
      secretCiphertext: Uint8Array;
      masterKeyVersion: number;
      previousSecretCiphertext: Uint8Array;
      previousMasterKeyVersion: number;
    }>(
      `SELECT "secretCiphertext", "masterKeyVersion", "previousSecretCiphertext", "previousMasterKeyVersion"
       FROM "WebhookEndpoint" WHERE id = $1`,
      [endpoint.id],
    );
    expect(row).toMatchObject({ masterKeyVersion: 5, previousMasterKeyVersion: 5 });
    expect(openWebhookSecret(parseMasterKeys(v5), row!, endpoint.id)).toBe(secret);
    const previous = { secretCiphertext: row!.previousSecretCiphertext, masterKeyVersion: 5 };
    expect(openWebhookSecret(parseMasterKeys(v5), previous, endpoint.id)).toBe(replaced);
    expect(() => openWebhookSecret(parseMasterKeys(v5), row!, "another-endpoint")).toThrow(/failed authentication/);
  } finally {
    await own.close();
  }
});

it("is the admin command `keys rotate`, which prints a JSON summary", async () => {
  const dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-rotate-"));
  try {
    const { stdout, exitCode } = await runAdmin(dataDir, ["keys", "rotate"], { masterKeys: `${newKey},${oldKey}` });
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      currentVersion: 2,
      reencrypted: 0,
      batches: 0,
      failed: [],
      credentialCheckKey: { state: "current" },
      remaining: 0,
      complete: true,
    });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
