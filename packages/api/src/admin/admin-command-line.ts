import { MasterKeyConfigError } from "@repokeys/crypto";
import type { DestinationStream } from "pino";
import { createLogger } from "../logging/logger";
import { type ApiServices, type ApiSettings, apiSettingsFromEnv, startApiServices } from "../services";
import type { AdminCommandContext } from "./admin-commands";
import { askRunningApp } from "./admin-socket-client";
import { adminSocketPath, UntrustedAdminSocketError } from "./admin-socket-path";
import type { AdminRequest } from "./admin-socket-protocol";
import { type AdminCommandOutput, adminCommandReadsStdin, runAdminCommand } from "./run-admin-command";

export interface AdminCommandLine {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Standard input, read only when the command takes it. */
  readStdin: () => Promise<string>;
  /** Where the services log (stderr for the command line: stdout carries only the result). */
  logTo: DestinationStream;
}

/**
 * The admin command line (`npm run admin -- …`) apart from its process: on the embedded default, while the app
 * serves (and so holds the database), the app runs the command and sends back its output; otherwise it runs
 * here. Tests call this in their own process; cli/admin.ts is the process around it.
 */
export async function runAdminCommandLine(line: AdminCommandLine): Promise<AdminCommandOutput> {
  try {
    const settings = apiSettingsFromEnv(line.env);
    const request: AdminRequest = {
      argv: [...line.argv],
      stdin: adminCommandReadsStdin(line.argv) ? await line.readStdin() : undefined,
      cwd: line.cwd,
    };
    const embedded = !settings.database.databaseUrl;
    const answered = embedded ? await askRunningApp(adminSocketPath(settings.database.dataDir), request) : undefined;
    return answered ?? (await runHere(settings, request, line));
  } catch (err) {
    if (err instanceof UntrustedAdminSocketError || err instanceof MasterKeyConfigError) {
      return { stdout: "", stderr: `error: ${err.message}\n`, exitCode: 1 };
    }
    throw err;
  }
}

/** Opens the database in this process, only if the command needs it, and closes it afterwards. */
async function runHere(
  settings: ApiSettings,
  request: AdminRequest,
  line: AdminCommandLine,
): Promise<AdminCommandOutput> {
  let started: Promise<ApiServices> | undefined;
  const context: AdminCommandContext = {
    services: () => {
      // It changes and exits: its own changes are announced by their statements, it needs to hear none, and the
      // app instances send the webhooks its changes queue.
      started ??= startApiServices(
        { ...settings, listen: false, deliverWebhooks: false },
        createLogger(line.env.LOG_LEVEL ?? "warn", line.logTo),
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
