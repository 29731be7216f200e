import { chmod, lstat, mkdir, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { isMainThread } from "node:worker_threads";

/**
 * The embedded data folder holds every password hash, every key's ciphertext and the generated master key: it is
 * the owner's alone. Refused when it or anything in it belongs to someone else, or when a mode open to others
 * cannot be narrowed; PGlite's files are otherwise made the owner's only.
 */
export class UntrustedDataDirError extends Error {
  override name = "UntrustedDataDirError";
  constructor(dataDir: string, why: string) {
    super(
      `Refusing to use the data folder ${dataDir}: ${why}. It holds every password hash and every key's ` +
        "ciphertext, so only a folder that is yours alone is used (owned by you; made mode 0700, its contents " +
        "closed to group and others). Give it to the user the app runs as (chown -R), or set DATA_DIR to a folder of your own.",
    );
  }
}

const openToOthers = 0o077;
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/**
 * Creates the data folder (0700) if it is missing, refuses it if it or anything in it is someone else's, and
 * takes group and other permissions away from everything in it. Runs before PGlite opens the folder and again
 * after: PGlite sets some of its files' modes itself (0666 when it first creates the database, 0644 for a few
 * files on every start), which no umask narrows. The walk goes top-down, so each folder is closed before
 * anything in it is looked at. Symbolic links inside are neither followed nor changed.
 *
 * The folder itself may be a link the operator chose (DATA_DIR=/srv/repokeys -> /mnt/disk/repokeys): then the
 * link must be theirs or root's, and the folder it leads to is returned, for the caller to open by that path
 * only, so a link swapped after this check leads nowhere new.
 */
export async function makeDataDirPrivate(
  dataDir: string,
  uid: number | undefined = process.getuid?.(),
): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    // A file in its place: refused below, as it is not a folder.
    if (err.code !== "EEXIST") throw err;
  });
  const link = await lstat(dataDir);
  if (link.isSymbolicLink() && uid !== undefined && link.uid !== uid && link.uid !== 0)
    throw new UntrustedDataDirError(
      dataDir,
      `it is a link that belongs to user ${link.uid}, not to you (${uid}) or root`,
    );
  const real = await realpath(dataDir);
  const root = await stat(real);
  if (!root.isDirectory()) throw new UntrustedDataDirError(dataDir, "it is not a folder");
  await tighten(real, real, root, uid);
  return real;
}

async function tighten(
  dataDir: string,
  entry: string,
  info: { uid: number; mode: number; isDirectory(): boolean; isSymbolicLink(): boolean },
  uid: number | undefined,
) {
  const what = entry === dataDir ? "it" : path.relative(dataDir, entry);
  if (uid !== undefined && info.uid !== uid)
    throw new UntrustedDataDirError(dataDir, `${what} belongs to user ${info.uid}, not to you (${uid})`);
  if (info.isSymbolicLink()) return;
  if (info.mode & openToOthers) {
    try {
      await chmod(entry, info.mode & 0o7700);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw new UntrustedDataDirError(
        dataDir,
        `${what} has mode ${octal(info.mode)}, open to others, and could not be narrowed (${(err as NodeJS.ErrnoException).code})`,
      );
    }
  }
  if (!info.isDirectory()) return;
  for (const name of (await readdir(entry).catch(gone)) ?? []) {
    const child = path.join(entry, name);
    const childInfo = await lstat(child).catch(gone);
    if (childInfo) await tighten(dataDir, child, childInfo, uid);
  }
}

/** Gone between listing and looking (PGlite removes files of its own as it starts): nothing left to close. */
function gone(err: NodeJS.ErrnoException): undefined {
  if (err.code === "ENOENT") return undefined;
  throw err;
}

let holders = 0;
let umaskBefore = 0;
let umaskHeld = 0;

/**
 * Files an open on-disk database creates are its owner's only: while one is open the process's umask keeps
 * group and other bits off (process-wide, as umask is; only ever narrower). Returns the release, which puts the
 * umask back once the last such database is closed.
 */
export function holdPrivateUmask(): () => void {
  // A worker thread cannot set the process's umask (Node refuses): there the walks alone keep the folder closed.
  if (!isMainThread) return () => {};
  if (holders++ === 0) {
    umaskBefore = process.umask(openToOthers);
    umaskHeld = umaskBefore | openToOthers;
    process.umask(umaskHeld);
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders > 0) return;
    // Put back only what is still ours: a umask someone set meanwhile stays theirs. (Node reads the umask only
    // by setting one; `process.umask()` without one is deprecated.)
    const current = process.umask(umaskBefore);
    if (current !== umaskHeld) process.umask(current);
  };
}
