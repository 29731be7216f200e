// Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL from the schema as last committed
// to the schema in the working tree. Review it, then commit both together.
import { execFileSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { schemaDiffSql, schemaPath } from "./schema-sql.mjs";
import { writeSchemaSql } from "./write-schema-sql.mjs";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npx pnpm@10.34.8 --filter @repokeys/db migration:new <name_in_snake_case>");
  process.exit(2);
}
const committed = execFileSync("git", ["show", `HEAD:./${path.basename(path.dirname(schemaPath))}/schema.prisma`], {
  cwd: path.dirname(path.dirname(schemaPath)),
  encoding: "utf8",
});
const sql = await schemaDiffSql(committed);
if (!sql.replace(/--.*$/gm, "").trim()) {
  console.log("The schema matches the last commit's: no migration needed.");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
const dir = fileURLToPath(new URL(`../prisma/migrations/${stamp}_${name}`, import.meta.url));
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, "migration.sql"), sql);
await writeSchemaSql();
console.log(
  `Wrote ${path.relative(process.cwd(), dir)}/migration.sql and prisma/schema.sql — review them before committing.`,
);
