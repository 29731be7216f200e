// The operator's command line: `npm run admin -- <command>` (see docs/admin.md). Results go to stdout as JSON
// (for `token create`, the bare token), messages to stderr, so scripts can capture the output.
import { runAdminCommandLine } from "../admin/admin-command-line";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

runAdminCommandLine({
  argv: process.argv.slice(2),
  env: process.env,
  cwd: process.cwd(),
  readStdin,
  logTo: process.stderr,
}).then(
  ({ stdout, stderr, exitCode }) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    process.exit(exitCode);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
