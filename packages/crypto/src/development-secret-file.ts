import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

export interface DevelopmentSecretFile {
  dataDir: string;
  fileName: string;
  /** What it is, for the warning, e.g. "master key". */
  what: string;
  /** The setting that replaces the file in production, named in the warning. */
  settingName: string;
  generate: () => string;
  warn?: (message: string) => void;
}

/**
 * The embedded default's stand-in for a secret that production must be given: generated once into the data
 * folder (owner-only), with a warning, and read back on every later start so sessions and keys survive restarts.
 */
export async function readOrCreateDevelopmentSecret(file: DevelopmentSecretFile): Promise<string> {
  const location = path.join(file.dataDir, file.fileName);
  try {
    return (await readFile(location, "utf8")).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  await mkdir(file.dataDir, { recursive: true, mode: 0o700 });
  try {
    // `wx`: never overwrite; a process that got here first has written the value everyone must share.
    await writeFile(location, `${file.generate()}\n`, { flag: "wx", mode: 0o600 });
    await chmod(location, 0o600);
    (file.warn ?? console.warn)(
      `Generated a development ${file.what} in ${location}. Fine for trying the app; in production set ${file.settingName} instead.`,
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return (await readFile(location, "utf8")).trim();
}
