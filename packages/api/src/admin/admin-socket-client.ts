import { connect } from "node:net";
import { checkAdminSocket } from "./admin-socket-path";
import { type AdminRequest, adminResponse, encodeLine, maxAdminRequestBytes } from "./admin-socket-protocol";
import type { AdminCommandOutput } from "./run-admin-command";

const connectTimeoutMs = 5_000;

/**
 * Has the app serving the embedded database in `socketPath`'s data folder run the command. Undefined when no
 * app is serving there (no socket, or one left by an app that stopped): then the caller opens the database itself.
 * Throws `UntrustedAdminSocketError` for a socket that is not the owner's alone.
 */
export async function askRunningApp(
  socketPath: string,
  request: AdminRequest,
): Promise<AdminCommandOutput | undefined> {
  if ((await checkAdminSocket(socketPath)) === "absent") return undefined;
  const line = encodeLine(request);
  if (Buffer.byteLength(line) > maxAdminRequestBytes)
    return {
      stdout: "",
      stderr: `error: an admin request is limited to ${maxAdminRequestBytes} bytes.\n`,
      exitCode: 2,
    };
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const chunks: Buffer[] = [];
    let connected = false;
    const timer = setTimeout(
      () => socket.destroy(new Error("The running app did not accept the admin command within 5 s.")),
      connectTimeoutMs,
    );
    socket.on("connect", () => {
      connected = true;
      clearTimeout(timer);
      socket.write(line);
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      // Nobody listens: the app that made the socket is gone.
      if (!connected && (err.code === "ECONNREFUSED" || err.code === "ENOENT")) resolve(undefined);
      else reject(err);
    });
    socket.on("close", (hadError) => {
      if (hadError) return;
      const parsed = adminResponse.safeParse(safeJson(Buffer.concat(chunks).toString("utf8")));
      if (parsed.success) resolve(parsed.data);
      else reject(new Error("The running app closed the admin socket without an answer (is it shutting down?)."));
    });
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
