// Configuration for Prisma 6's CLI, used only for `migrate diff` (see schema-sql.mjs): its WebAssembly
// schema engine needs a driver adapter, which an in-memory PGlite provides without any server.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { defineConfig } from "prisma-migrate-diff/config";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => new PrismaPGlite(new PGlite()),
});
