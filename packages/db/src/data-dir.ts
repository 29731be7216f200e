import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root, three levels above this file (packages/db/src). */
const checkoutRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Where the embedded database and the generated development master key live.
 * `DATA_DIR` wins; the default is `.data/` at the checkout root (git-ignored).
 */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.DATA_DIR ?? path.join(checkoutRoot, ".data"));
}
