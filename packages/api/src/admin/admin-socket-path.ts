import { lstat } from "node:fs/promises";
import path from "node:path";

/**
 * The running app's admin socket: in a folder of the data folder that only its owner can enter (0700), itself
 * openable only by its owner (0600). Whoever can open it acts as the operator, as whoever can read the data
 * folder's master key already can.
 */
export function adminSocketPath(dataDir: string): string {
  return path.join(dataDir, "run", "admin.sock");
}

/** Unix socket paths are limited to 107 bytes on Linux (108 with the terminating NUL). */
export const maxSocketPathBytes = 107;

export class UntrustedAdminSocketError extends Error {
  override name = "UntrustedAdminSocketError";
  constructor(socketPath: string, why: string) {
    super(
      `Refusing to use the admin socket ${socketPath}: ${why}. Only a socket the app created for you ` +
        "(owned by you, mode 0600, in a folder owned by you with mode 0700) is trusted. Stop the app and remove it.",
    );
  }
}

const ownerOnly = (mode: number) => (mode & 0o077) === 0;
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * Whether an admin socket is there to be used: "absent" when there is none, "trusted" when it and its folder
 * are this user's and no one else's. Throws `UntrustedAdminSocketError` otherwise, because whoever planted it
 * would receive our commands and their standard input (a password) and could answer anything.
 */
export async function checkAdminSocket(
  socketPath: string,
  uid: number | undefined = process.getuid?.(),
): Promise<"absent" | "trusted"> {
  const folder = await lstat(path.dirname(socketPath)).catch(absent);
  if (!folder) return "absent";
  const socket = await lstat(socketPath).catch(absent);
  if (!socket) return "absent";
  if (!folder.isDirectory()) throw new UntrustedAdminSocketError(socketPath, "its folder is not a plain folder");
  if (uid !== undefined && folder.uid !== uid)
    throw new UntrustedAdminSocketError(socketPath, `its folder belongs to user ${folder.uid}, not to you (${uid})`);
  if (!ownerOnly(folder.mode))
    throw new UntrustedAdminSocketError(socketPath, `its folder has mode ${octal(folder.mode)}, open to others`);
  if (!socket.isSocket()) throw new UntrustedAdminSocketError(socketPath, "it is not a socket");
  if (uid !== undefined && socket.uid !== uid)
    throw new UntrustedAdminSocketError(socketPath, `it belongs to user ${socket.uid}, not to you (${uid})`);
  if (!ownerOnly(socket.mode))
    throw new UntrustedAdminSocketError(socketPath, `it has mode ${octal(socket.mode)}, open to others`);
  return "trusted";
}

function absent(err: NodeJS.ErrnoException): undefined {
  if (err.code === "ENOENT") return undefined;
  throw err;
}
