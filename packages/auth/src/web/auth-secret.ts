import { randomBytes } from "node:crypto";
import { readOrCreateDevelopmentSecret } from "@repokeys/crypto";

export class AuthSecretConfigError extends Error {
  override name = "AuthSecretConfigError";
}

export interface LoadAuthSecretOptions {
  /** The `AUTH_SECRET` setting, if any. */
  configured: string | undefined;
  /** Embedded mode may generate one into the data folder; production (PostgreSQL) must be given one. */
  embeddedDataDir: string | undefined;
  warn?: (message: string) => void;
}

const minLength = 32;

/**
 * The key that signs and encrypts web sessions. Like the master key (see @repokeys/crypto's master keyring): required
 * in production, generated once into the data folder on the embedded default so a newcomer's sessions survive restarts.
 */
export async function loadAuthSecret(options: LoadAuthSecretOptions): Promise<string> {
  if (options.configured) {
    if (options.configured.length < minLength)
      throw new AuthSecretConfigError(
        `AUTH_SECRET is too short to protect sessions: use at least ${minLength} characters (openssl rand -base64 33).`,
      );
    return options.configured;
  }
  if (options.embeddedDataDir === undefined) {
    throw new AuthSecretConfigError(
      "AUTH_SECRET is not set. With DATABASE_URL set the app runs in production mode and will not invent the key " +
        "that protects sign-in sessions: set AUTH_SECRET=$(openssl rand -base64 33), the same on every instance.",
    );
  }
  return readOrCreateDevelopmentSecret({
    dataDir: options.embeddedDataDir,
    fileName: "auth-secret",
    what: "AUTH_SECRET",
    settingName: "AUTH_SECRET",
    generate: () => randomBytes(33).toString("base64"),
    warn: options.warn,
  });
}
