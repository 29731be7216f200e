import { randomBytes } from "node:crypto";
import { readOrCreateDevelopmentSecret } from "./development-secret-file";

/**
 * Every master key version that may still decrypt a stored secret. New secrets are always
 * encrypted under the highest version, so rotation is: add a version, re-encrypt, retire the old one.
 */
export interface MasterKeyring {
  readonly currentVersion: number;
  key(version: number): Buffer | undefined;
  readonly versions: readonly number[];
}

export class MasterKeyConfigError extends Error {
  override name = "MasterKeyConfigError";
}

const keyLength = 32;

/** Format: `VERSION:BASE64KEY[,VERSION:BASE64KEY…]`, each key 32 random bytes, e.g. from `openssl rand -base64 32`. */
export function parseMasterKeys(value: string): MasterKeyring {
  const keys = new Map<number, Buffer>();
  for (const entry of value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const match = /^(\d{1,9}):([A-Za-z0-9+/=_-]+)$/.exec(entry);
    if (!match) {
      throw new MasterKeyConfigError(
        "MASTER_KEYS must look like `1:BASE64KEY` (several comma-separated, e.g. `2:NEWKEY,1:OLDKEY`); one entry is malformed.",
      );
    }
    const version = Number(match[1]);
    const key = Buffer.from(match[2]!, "base64");
    if (key.length !== keyLength) {
      throw new MasterKeyConfigError(
        `MASTER_KEYS version ${version} decodes to ${key.length} bytes; it must be exactly ${keyLength} (openssl rand -base64 32).`,
      );
    }
    if (keys.has(version)) throw new MasterKeyConfigError(`MASTER_KEYS lists version ${version} twice.`);
    keys.set(version, key);
  }
  if (keys.size === 0) throw new MasterKeyConfigError("MASTER_KEYS is empty: give at least one `VERSION:BASE64KEY`.");
  const versions = [...keys.keys()].sort((a, b) => b - a);
  return { currentVersion: versions[0]!, versions, key: (version) => keys.get(version) };
}

export function formatMasterKey(version: number, key: Buffer = randomBytes(keyLength)): string {
  return `${version}:${key.toString("base64")}`;
}

export interface LoadMasterKeyringOptions {
  /** The `MASTER_KEYS` setting, if any. */
  configured: string | undefined;
  /** Embedded mode may generate a development key; production must be given one. */
  embeddedDataDir: string | undefined;
  warn?: (message: string) => void;
}

export async function loadMasterKeyring(options: LoadMasterKeyringOptions): Promise<MasterKeyring> {
  if (options.configured) return parseMasterKeys(options.configured);
  if (options.embeddedDataDir === undefined) {
    throw new MasterKeyConfigError(
      "MASTER_KEYS is not set. With DATABASE_URL set the app runs in production mode and will not invent a master key: " +
        "set MASTER_KEYS=1:$(openssl rand -base64 32) (keep it in your secret manager; losing it loses every stored secret).",
    );
  }
  return parseMasterKeys(
    await readOrCreateDevelopmentSecret({
      dataDir: options.embeddedDataDir,
      fileName: "master-keys",
      what: "master key",
      settingName: "MASTER_KEYS",
      generate: () => formatMasterKey(1),
      warn: options.warn,
    }),
  );
}
