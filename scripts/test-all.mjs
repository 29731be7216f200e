// `npm run test:all`: install what the tests need, then typecheck, lint, build and run every test.
// Tests use PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, embedded PGlite otherwise.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { pnpm } from "./pnpm.mjs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function ensureChromium() {
  if (existsSync(chromium)) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (isRoot && hasApt) {
    console.log("Browser tests need Chromium: installing Debian's chromium package…");
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    const install = spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
    if (update.status === 0 && install.status === 0 && existsSync(chromium)) return;
  }
  console.error(
    `\n✖ The browser tests need Chromium at ${chromium}, and it is missing.\n` +
      "  On Debian/Ubuntu: sudo apt-get install chromium (or set CHROMIUM_PATH to a Chromium binary), then run this again.\n",
  );
  process.exit(1);
}

ensureChromium();
const target = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
console.log(
  target
    ? `Testing against PostgreSQL (${new URL(target).host})`
    : "Testing against embedded PGlite (set TEST_DATABASE_URL for PostgreSQL)",
);

const reports = new URL("../test-artifacts/vitest/", import.meta.url);
rmSync(reports, { recursive: true, force: true });
pnpm(["install", "--frozen-lockfile"]);
const run = spawnSync(
  process.platform === "win32" ? "npx.cmd" : "npx",
  ["turbo", "run", "typecheck", "lint", "test", "--continue"],
  {
    stdio: "inherit",
    cwd: new URL("..", import.meta.url),
  },
);

// One closing line over every package's vitest report.
let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of existsSync(reports) ? readdirSync(reports) : []) {
  const report = JSON.parse(readFileSync(new URL(file, reports), "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
}
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(run.status === 0 && failed === 0 && passed > 0 ? 0 : 1);
