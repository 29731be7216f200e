// `npm run test:all`: install everything the tests need, then typecheck, lint and run every test.
// Tests use PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, embedded PGlite otherwise.
import { pnpm } from "./pnpm.mjs";

pnpm(["install", "--frozen-lockfile"]);
pnpm(["turbo", "run", "typecheck", "lint", "test"]);
