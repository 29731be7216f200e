import { chmod, lstat, mkdir, rm } from "node:fs/promises";
import { createServer, type Socket } from "node:net";
import path from "node:path";
import type { Logger } from "../logging/logger";
import type { ApiServices } from "../services";
import { adminSocketPath, maxSocketPathBytes } from "./admin-socket-path";
import { type AdminRequest, adminRequest, encodeLine, maxAdminRequestBytes } from "./admin-socket-protocol";
import { type AdminCommandOutput, adminCommandName, runAdminCommand } from "./run-admin-command";

export interface AdminSocketOptions {
  dataDir: string;
  /** `MASTER_KEYS` when set (otherwise the key generated into the data folder is used). */
  masterKeys: string | undefined;
  logger: Logger;
  /** A caller has this long to send its request; a command itself may run as long as it needs (a rotation, a backup). */
  requestTimeoutMs?: number;
  /** Commands run one at a time, in the order they came; this many may be running or waiting, more are turned away. */
  maxPending?: number;
}

export interface AdminSocketServer {
  path: string;
  /** Stops taking commands, lets the queued ones finish, and removes the socket. */
  close(): Promise<void>;
}

const refusal = (stderr: string, exitCode = 1): AdminCommandOutput => ({
  stdout: "",
  stderr: `error: ${stderr}\n`,
  exitCode,
});

/**
 * While the app holds the embedded database (one process only), admin commands cannot open it: the app runs
 * them for the command line instead, with its own services, through a Unix socket only the data folder's owner
 * can open. Returns undefined (and says why) when the socket cannot be made safely; the app serves regardless.
 */
export async function serveAdminCommands(
  services: ApiServices,
  { dataDir, masterKeys, logger, requestTimeoutMs = 10_000, maxPending = 8 }: AdminSocketOptions,
): Promise<AdminSocketServer | undefined> {
  const socketPath = adminSocketPath(dataDir);
  const unavailable = (why: string) => {
    logger.warn(`Admin commands cannot reach the running app (${why}); stop the app to run them.`);
    return undefined;
  };
  if (Buffer.byteLength(socketPath) > maxSocketPathBytes)
    return unavailable(
      `the socket path ${socketPath} is longer than ${maxSocketPathBytes} bytes; use a shorter DATA_DIR`,
    );
  const folder = path.dirname(socketPath);
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const stats = await lstat(folder);
  if (!stats.isDirectory() || stats.uid !== process.getuid?.())
    return unavailable(`${folder} is not a folder of this user`);
  await chmod(folder, 0o700);
  // A socket left by an app that crashed: we hold the database's lock, so no other app is serving this folder.
  await rm(socketPath, { force: true });

  let queue = Promise.resolve();
  let pending = 0;
  const run = (socket: Socket, request: AdminRequest) => {
    if (pending >= maxPending) {
      socket.end(encodeLine(refusal(`the app is already running or holding ${maxPending} admin commands; try again.`)));
      return;
    }
    pending++;
    queue = queue.then(async () => {
      try {
        if (socket.destroyed) return; // the caller gave up while waiting: do not run what no one will see
        const started = Date.now();
        const output = await runAdminCommand(request.argv, {
          services: async () => services,
          stdin: request.stdin,
          cwd: request.cwd,
          embedded: { dataDir, masterKeys },
        });
        // The command's name only: arguments may hold a password, output a token.
        const command = adminCommandName(request.argv);
        services.metrics.adminCommandRan(command, output.exitCode);
        logger.info(
          {
            command: command ?? "(unknown)",
            exitCode: output.exitCode,
            ms: Date.now() - started,
          },
          "admin command",
        );
        socket.end(encodeLine(output));
      } finally {
        pending--;
      }
    });
  };

  const server = createServer((socket) => {
    socket.setTimeout(requestTimeoutMs, () => socket.destroy());
    socket.on("error", () => {}); // a caller that went away
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      const end = chunk.indexOf(0x0a);
      if (end === -1 && size <= maxAdminRequestBytes) return;
      socket.off("data", onData);
      const line = Buffer.concat(chunks).subarray(0, size - chunk.length + (end === -1 ? chunk.length : end));
      if (line.length > maxAdminRequestBytes) {
        socket.end(encodeLine(refusal(`an admin request is limited to ${maxAdminRequestBytes} bytes.`, 2)));
        return;
      }
      socket.setTimeout(0);
      const request = parseRequest(line.toString("utf8"));
      if (request) run(socket, request);
      else socket.end(encodeLine(refusal("malformed admin request.", 2)));
    };
    socket.on("data", onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  // The folder (0700) already keeps others out; the socket's own mode says the same to whoever checks it.
  await chmod(socketPath, 0o600);
  return {
    path: socketPath,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await queue;
      await rm(socketPath, { force: true });
    },
  };
}

function parseRequest(line: string): AdminRequest | undefined {
  try {
    const parsed = adminRequest.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
