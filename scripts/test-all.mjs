// `npm run test:all`: install what the tests need, then typecheck, lint, build and run every test.
// Tests use PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, embedded PGlite otherwise.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { pnpm, runPnpm } from "./pnpm.mjs";

/** What the tests need from the machine, each with the Debian package that provides it. */
const prerequisites = [
  {
    what: "Chromium, for the browser tests",
    present: () => existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"),
    debianPackage: "chromium",
  },
  {
    what: "PostgreSQL server binaries, for the tests that stop and start a database of their own",
    present: () =>
      Boolean(process.env.PG_BIN) ||
      (existsSync("/usr/lib/postgresql") &&
        readdirSync("/usr/lib/postgresql").some((version) => existsSync(`/usr/lib/postgresql/${version}/bin/pg_ctl`))),
    debianPackage: "postgresql",
  },
  {
    what: "redis-server, for the Redis rate-limit tests (unless REDIS_URL is set)",
    present: () => Boolean(process.env.REDIS_URL) || spawnSync("sh", ["-c", "command -v redis-server"]).status === 0,
    debianPackage: "redis-server",
  },
];

function ensurePrerequisites() {
  let missing = prerequisites.filter((p) => !p.present());
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
  if (isRoot && hasApt) {
    const packages = missing.map((p) => p.debianPackage);
    console.log(`Installing what the tests need from Debian: ${packages.join(", ")}…`);
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
    spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], { stdio: "inherit", env });
    missing = missing.filter((p) => !p.present());
  }
  if (missing.length === 0) return;
  console.error(
    "\n✖ The tests need, and this machine lacks:\n" +
      missing.map((p) => `  - ${p.what} (Debian package: ${p.debianPackage})`).join("\n") +
      `\n  Install them (sudo apt-get install ${missing.map((p) => p.debianPackage).join(" ")}), then run this again.\n`,
  );
  process.exit(1);
}

ensurePrerequisites();
const target = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
console.log(
  target
    ? `Testing against PostgreSQL (${new URL(target).host})`
    : "Testing against embedded PGlite (set TEST_DATABASE_URL for PostgreSQL)",
);

const reports = new URL("../test-artifacts/vitest/", import.meta.url);
rmSync(reports, { recursive: true, force: true });
pnpm(["install", "--frozen-lockfile"]);
const turbo = (args) => runPnpm(["turbo", "run", ...args, "--continue"]);
// Checks and builds side by side; then the test suites one at a time, because they start real databases,
// servers and browsers whose timing bounds are asserted, on machines with few cores.
const checked = turbo(["typecheck", "lint", "build", "--concurrency=2"]);
const tested = turbo(["test", "--concurrency=1"]);

// The ten slowest test files (where the time goes), then one closing line over every package's vitest report.
let passed = 0;
let failed = 0;
let skipped = 0;
const files = [];
for (const file of existsSync(reports) ? readdirSync(reports) : []) {
  const report = JSON.parse(readFileSync(new URL(file, reports), "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const result of report.testResults) {
    files.push({
      name: path.relative(process.cwd(), result.name),
      seconds: (result.endTime - result.startTime) / 1000,
    });
  }
}
console.log("\nslowest test files:");
for (const { name, seconds } of files.sort((a, b) => b.seconds - a.seconds).slice(0, 10)) {
  console.log(`${seconds.toFixed(1).padStart(8)} s  ${name}`);
}
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(checked === 0 && tested === 0 && failed === 0 && passed > 0 ? 0 : 1);
