// The operator's command line: `npm run admin -- <command>` (see README). Results go to stdout as JSON
// (for `token create`, the bare token), messages to stderr, so scripts can capture the output. On the embedded
// default, while the app serves (and so holds the database), the app runs the command and sends back its output.
import { MasterKeyConfigError } from "@repokeys/crypto";
import type { AdminCommandContext } from "../admin/admin-commands";
import { askRunningApp } from "../admin/admin-socket-client";
import { adminSocketPath, UntrustedAdminSocketError } from "../admin/admin-socket-path";
import type { AdminRequest } from "../admin/admin-socket-protocol";
import { type AdminCommandOutput, adminCommandReadsStdin, runAdminCommand } from "../admin/run-admin-command";
import { createLogger } from "../logging/logger";
import { type ApiServices, type ApiSettings, apiSettingsFromEnv, startApiServices } from "../services";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Opens the database in this process, only if the command needs it, and closes it afterwards. */
async function runHere(settings: ApiSettings, request: AdminRequest): Promise<AdminCommandOutput> {
  let started: Promise<ApiServices> | undefined;
  const context: AdminCommandContext = {
    // Logs to stderr: stdout carries only the result.
    services: () => {
      // It changes and exits: its own changes are announced by their statements, it needs to hear none, and the
      // app instances send the webhooks its changes queue.
      started ??= startApiServices(
        { ...settings, listen: false, deliverWebhooks: false },
        createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr),
      );
      return started;
    },
    stdin: request.stdin,
    cwd: request.cwd,
    embedded: settings.database.databaseUrl
      ? undefined
      : { dataDir: settings.database.dataDir, masterKeys: settings.masterKeys },
  };
  try {
    return await runAdminCommand(request.argv, context);
  } finally {
    await (await started?.catch(() => undefined))?.db.close();
  }
}

async function main(): Promise<AdminCommandOutput> {
  const argv = process.argv.slice(2);
  const settings = apiSettingsFromEnv();
  const request: AdminRequest = {
    argv,
    stdin: adminCommandReadsStdin(argv) ? await readStdin() : undefined,
    cwd: process.cwd(),
  };
  const embedded = !settings.database.databaseUrl;
  const answered = embedded ? await askRunningApp(adminSocketPath(settings.database.dataDir), request) : undefined;
  return answered ?? runHere(settings, request);
}

main().then(
  ({ stdout, stderr, exitCode }) => {
    process.stdout.write(stdout);
    process.stderr.write(stderr);
    process.exit(exitCode);
  },
  (err: unknown) => {
    const known = err instanceof UntrustedAdminSocketError || err instanceof MasterKeyConfigError;
    console.error(known ? `error: ${(err as Error).message}` : err);
    process.exit(1);
  },
);
