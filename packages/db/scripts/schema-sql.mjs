// SQL for a Prisma schema, from Prisma 6's WebAssembly schema engine (Prisma 7's CLI needs a native
// engine this machine cannot download). Used to author migrations and by the drift test.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

export const schemaPath = fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url));
const configPath = fileURLToPath(new URL("./prisma6.config.ts", import.meta.url));
const stub = fileURLToPath(new URL("./no-schema-engine.sh", import.meta.url));
const cli = createRequire(import.meta.url).resolve("prisma-migrate-diff/build/index.js");

/** Prisma 7 schemas carry no `url`; Prisma 6 requires one, though `migrate diff` never connects with it. */
async function asPrisma6Schema(schemaText, dir, name) {
  const file = path.join(dir, `${name}.prisma`);
  await writeFile(file, schemaText.replace(/(datasource\s+\w+\s*\{)/, '$1\n  url = "postgresql://unused"'));
  return file;
}

/**
 * The SQL that takes a database from `fromSchemaText` (empty when undefined) to the schema at `schemaPath`.
 */
export async function schemaDiffSql(fromSchemaText) {
  const dir = await mkdtemp(path.join(tmpdir(), "repokeys-schema-"));
  try {
    const to = await asPrisma6Schema(await readFile(schemaPath, "utf8"), dir, "to");
    const from =
      fromSchemaText === undefined
        ? ["--from-empty"]
        : ["--from-schema-datamodel", await asPrisma6Schema(fromSchemaText, dir, "from")];
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [cli, "migrate", "diff", "--config", configPath, ...from, "--to-schema-datamodel", to, "--script"],
      {
        env: { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
        maxBuffer: 16 << 20,
      },
    );
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
