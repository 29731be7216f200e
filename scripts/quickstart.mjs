// `npm run quickstart`: install, build, migrate, seed and serve the app on the embedded default.
import { pnpm } from "./pnpm.mjs";

pnpm(["install", "--frozen-lockfile"]);
pnpm(["turbo", "run", "build", "--filter=@repokeys/web..."]);
pnpm(["--filter", "@repokeys/db", "seed"]);
pnpm(["--filter", "@repokeys/web", "start"]);
