// The operator's gateway-token commands, through the admin command line (on the embedded database).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { formatMasterKey } from "@repokeys/crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runAdmin } from "./support/admin-command";

let dataDir: string;
/** One master key for every command, as an operator has: the data folder's check key is sealed under it. */
const masterKeys = formatMasterKey(1);
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-gateway-token-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

async function admin(...args: string[]) {
  const { exitCode, stdout, stderr } = await runAdmin(dataDir, args, { masterKeys });
  return { code: exitCode, stdout, stderr };
}

it("creates (printing only the token), lists (never the token or its hash), revokes gateway tokens and lists their events", async () => {
  const created = await admin("gateway-token", "create", "--name", "edge gateway");
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(/^rkg_[A-Za-z0-9_-]{54}\n$/);
  const token = created.stdout.trim();

  const listed = await admin("gateway-token", "list");
  const [entry, ...others] = JSON.parse(listed.stdout);
  expect(others).toEqual([]);
  expect(entry).toMatchObject({ name: "edge gateway", prefix: token.slice(0, 10), revokedAt: null, lastUsedAt: null });
  expect(Object.keys(entry).sort()).toEqual(["createdAt", "id", "lastUsedAt", "name", "prefix", "revokedAt"]);
  expect(listed.stdout).not.toContain(token);

  const revoked = await admin("gateway-token", "revoke", entry.id);
  expect(revoked.code).toBe(0);
  expect(JSON.parse(revoked.stdout)).toMatchObject({ id: entry.id, revokedAt: expect.any(String) });

  const again = await admin("gateway-token", "revoke", entry.id);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/No unrevoked gateway token has the id/);

  // Both changes are the operator's audit events, newest first; neither shows the token.
  const events = await admin("gateway-token", "events");
  expect(events.code).toBe(0);
  expect(JSON.parse(events.stdout)).toMatchObject([
    { event: "deleted", gatewayTokenId: entry.id, via: "admin" },
    { event: "created", gatewayTokenId: entry.id, via: "admin" },
  ]);
  expect(events.stdout).not.toContain(token);
}, 180_000); // each command opens the embedded database anew, as an operator's would

it("explains its usage: a name is required, revoke takes one id", async () => {
  const noName = await admin("gateway-token", "create");
  expect(noName.code).toBe(2);
  expect(noName.stderr).toMatch(/--name is required/);
  const noId = await admin("gateway-token", "revoke");
  expect(noId.code).toBe(2);
  expect(noId.stderr).toMatch(/gateway-token revoke takes <id> after its name/);
});
