import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  formatMasterKey,
  generateSecret,
  loadMasterKeyring,
  MasterKeyConfigError,
  openSecret,
  parseMasterKeys,
  SecretDecryptionError,
  sealSecret,
} from "../src";

const v1 = formatMasterKey(1);
const v2 = formatMasterKey(2);

describe("secret box", () => {
  it("round-trips a secret under the current master key version", () => {
    const ring = parseMasterKeys(`${v1},${v2}`);
    const secret = generateSecret();
    const sealed = sealSecret(ring, secret, "rk_abc");
    expect(sealed.masterKeyVersion).toBe(2);
    expect(sealed.ciphertext.includes(Buffer.from(secret))).toBe(false);
    expect(openSecret(ring, sealed, "rk_abc")).toBe(secret);
  });

  it("still opens secrets sealed under an older version while that version is configured", () => {
    const sealed = sealSecret(parseMasterKeys(v1), "s3cret", "ctx");
    expect(openSecret(parseMasterKeys(`${v2},${v1}`), sealed, "ctx")).toBe("s3cret");
    expect(() => openSecret(parseMasterKeys(v2), sealed, "ctx")).toThrow(/version 1, which MASTER_KEYS does not hold/);
  });

  it("fails loudly on a tampered ciphertext, another row's context, or wrong key material", () => {
    const ring = parseMasterKeys(v1);
    const sealed = sealSecret(ring, "s3cret", "ctx");
    for (const i of [0, 13, sealed.ciphertext.length - 1]) {
      const tampered = Buffer.from(sealed.ciphertext);
      tampered[i]! ^= 0x01;
      expect(() => openSecret(ring, { ...sealed, ciphertext: tampered }, "ctx")).toThrow(SecretDecryptionError);
    }
    expect(() => openSecret(ring, sealed, "other")).toThrow(SecretDecryptionError);
    expect(() => openSecret(parseMasterKeys(formatMasterKey(1)), sealed, "ctx")).toThrow(SecretDecryptionError);
    expect(() => openSecret(ring, { ...sealed, ciphertext: sealed.ciphertext.subarray(0, 20) }, "ctx")).toThrow(
      /truncated/,
    );
  });
});

describe("master keys", () => {
  it("rejects malformed settings with a message that says how to fix them", () => {
    expect(() => parseMasterKeys("")).toThrow(MasterKeyConfigError);
    expect(() => parseMasterKeys("abc")).toThrow(/must look like `1:BASE64KEY`/);
    expect(() => parseMasterKeys("1:c2hvcnQ=")).toThrow(/5 bytes; it must be exactly 32/);
    expect(() => parseMasterKeys(`${v1},${formatMasterKey(1)}`)).toThrow(/version 1 twice/);
  });

  it("refuses to start in production without MASTER_KEYS", async () => {
    await expect(loadMasterKeyring({ configured: undefined, embeddedDataDir: undefined })).rejects.toThrow(
      /MASTER_KEYS is not set/,
    );
  });

  it("generates one development key for the embedded default, with a warning, and keeps it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "repokeys-keys-"));
    const warnings: string[] = [];
    const first = await loadMasterKeyring({
      configured: undefined,
      embeddedDataDir: dir,
      warn: (m) => warnings.push(m),
    });
    const second = await loadMasterKeyring({
      configured: undefined,
      embeddedDataDir: dir,
      warn: (m) => warnings.push(m),
    });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/development master key/);
    expect(second.key(1)).toEqual(first.key(1));
    expect((await stat(path.join(dir, "master-keys"))).mode & 0o777).toBe(0o600);
    expect((await readFile(path.join(dir, "master-keys"), "utf8")).startsWith("1:")).toBe(true);
  });
});
