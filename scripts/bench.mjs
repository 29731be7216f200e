// `npm run bench`: install, then run the benchmark package (it builds the app for production, starts it
// on the local PostgreSQL, loads it and writes bench/results.md and bench/results.json).
import { pnpm } from "./pnpm.mjs";

pnpm(["install", "--frozen-lockfile"]);
pnpm(["--filter", "@repokeys/bench", "bench", ...process.argv.slice(2)]);
