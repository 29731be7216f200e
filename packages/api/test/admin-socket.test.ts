// The running app's admin socket, from the outside: only the data folder's owner can open it, the command
// line trusts no socket that others could have made or could open, and what the socket accepts is bounded.
// (The same commands through the real app, compared with the app stopped: apps/web/test/admin-command-line.test.ts.)
import { execFile } from "node:child_process";
import { once } from "node:events";
import { chmod, chown, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { formatMasterKey } from "@repokeys/crypto";
import { connectDatabase, type Database, migrate, seedDemo } from "@repokeys/db";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminSocketPath, checkAdminSocket, UntrustedAdminSocketError } from "../src/admin/admin-socket-path";
import { maxAdminRequestBytes } from "../src/admin/admin-socket-protocol";
import {
  type AdminSocketServer,
  type ApiServices,
  createApiServices,
  createLogger,
  serveAdminCommands,
} from "../src/index";
import { runAdmin, runAdminProcess } from "./support/admin-command";

const masterKeys = formatMasterKey(1);
const isRoot = process.getuid?.() === 0;
const nobody = 65534;

/** The admin command line, in this process (one test runs it in its own, as an operator does). */
const admin = (dataDir: string, args: string[], stdin?: string) => runAdmin(dataDir, args, { masterKeys, stdin });

/** Sends raw bytes to a socket and returns what comes back before it closes. */
async function exchange(socketPath: string, bytes: string | Buffer): Promise<string> {
  const socket = connect(socketPath);
  let answer = "";
  socket.on("data", (chunk) => {
    answer += chunk;
  });
  socket.on("error", () => {});
  socket.write(bytes);
  await once(socket, "close");
  return answer;
}

let dataDir: string;
let db: Database;
let services: ApiServices;
let adminSocket: AdminSocketServer;
const logs: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "repokeys-admin-socket-"));
  db = await connectDatabase({ dataDir });
  await migrate(db);
  await seedDemo(db);
  const logger = createLogger("info", {
    write: (line: string) => {
      logs.push(line);
      return true;
    },
  } as NodeJS.WritableStream);
  services = await createApiServices(db, { masterKeys, tokenCacheTtlMs: 0, embeddedDataDir: undefined }, logger);
  adminSocket = (await serveAdminCommands(services, {
    dataDir,
    masterKeys,
    logger,
    requestTimeoutMs: 1_000,
    maxPending: 1,
  }))!;
});

afterAll(async () => {
  await adminSocket?.close();
  await db?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("the socket the app makes", () => {
  it("is open to its owner only: a 0700 folder holding a 0600 socket, both the app user's", async () => {
    expect(adminSocket.path).toBe(path.join(dataDir, "run", "admin.sock"));
    const folder = await stat(path.dirname(adminSocket.path));
    const socket = await stat(adminSocket.path);
    expect(socket.isSocket()).toBe(true);
    expect(folder.mode & 0o777).toBe(0o700);
    expect(socket.mode & 0o777).toBe(0o600);
    expect([folder.uid, socket.uid]).toEqual([process.getuid?.(), process.getuid?.()]);
    expect(await checkAdminSocket(adminSocket.path)).toBe("trusted");
  });

  it.runIf(isRoot)("cannot be opened by another user", async () => {
    const probe = `require("net").connect(${JSON.stringify(adminSocket.path)})
      .on("connect", () => { console.log("connected"); process.exit(0); })
      .on("error", (err) => { console.log(err.code); process.exit(0); });`;
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", probe], { uid: nobody, gid: nobody });
    expect(stdout.trim()).toBe("EACCES");
  });

  it("runs a command for the command line while the app holds the database, and logs its name only", async () => {
    const result = await runAdminProcess(
      dataDir,
      ["user", "create", "--email", "ann@example.com", "--name", "Ann", "--password-stdin"],
      { masterKeys, stdin: "a long password\n" },
    );
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toMatchObject({ email: "ann@example.com", name: "Ann" });
    const token = await admin(dataDir, ["token", "create", "--email", "ann@example.com"]);
    expect(token.stdout).toMatch(/^rkt_\S+\n$/);
    expect(await services.bearerTokens.verify(token.stdout.trim())).toMatchObject({ email: "ann@example.com" });
    const logged = logs.join("");
    expect(logged).toContain('"command":"user create"');
    expect(logged).toContain('"command":"token create"');
    expect(logged).not.toContain("a long password");
    // A name that is no command (here one every object has) is a usage error, logged as unknown.
    expect(await admin(dataDir, ["toString"])).toMatchObject({ exitCode: 2, stdout: "" });
    expect(logs.join("")).toContain('"command":"(unknown)","exitCode":2');
    expect(logged).not.toContain(token.stdout.trim());
  });

  it("answers an oversized or malformed request with a refusal, and drops a caller that sends nothing", async () => {
    const oversized = await exchange(adminSocket.path, Buffer.alloc(maxAdminRequestBytes + 10, "a"));
    expect(JSON.parse(oversized)).toEqual({
      stdout: "",
      stderr: `error: an admin request is limited to ${maxAdminRequestBytes} bytes.\n`,
      exitCode: 2,
    });
    const malformed = await exchange(adminSocket.path, '{"argv":"user create"}\n');
    expect(JSON.parse(malformed)).toMatchObject({ stderr: "error: malformed admin request.\n", exitCode: 2 });
    const started = Date.now();
    expect(await exchange(adminSocket.path, '{"argv":')).toBe("");
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("runs one command at a time and turns away more than it may hold", async () => {
    // Holding PGlite's one connection keeps the first command waiting inside the app.
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding = db.transaction(() => held);
    const first = admin(dataDir, ["workspace", "list"]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const second = await admin(dataDir, ["repo", "list"]);
    expect(second).toEqual({
      stdout: "",
      stderr: "error: the app is already running or holding 1 admin commands; try again.\n",
      exitCode: 1,
    });
    release();
    await holding;
    expect(JSON.parse((await first).stdout)).toMatchObject({ total: 1 });
  });
});

describe("the command line", () => {
  let fakeDir: string;
  let received: string[];
  let fake: ReturnType<typeof createServer> | undefined;

  /** A socket someone else could have planted: it records what it is sent and answers with success. */
  async function plantSocket({ folderMode = 0o700, socketMode = 0o600 } = {}) {
    fakeDir = await mkdtemp(path.join(tmpdir(), "repokeys-planted-"));
    const socketPath = adminSocketPath(fakeDir);
    await mkdir(path.dirname(socketPath), { mode: folderMode });
    await chmod(path.dirname(socketPath), folderMode);
    received = [];
    fake = createServer((socket) => {
      socket.on("data", (chunk) => {
        received.push(chunk.toString());
        socket.end('{"stdout":"rkt_planted\\n","stderr":"","exitCode":0}\n');
      });
    });
    fake.listen(socketPath);
    await once(fake, "listening");
    await chmod(socketPath, socketMode);
    return socketPath;
  }

  afterEach(async () => {
    if (fake) await new Promise((resolve) => fake?.close(resolve));
    fake = undefined;
    await rm(fakeDir, { recursive: true, force: true });
  });

  it.each([
    ["a socket others can open", { socketMode: 0o666 }, /it has mode 0666, open to others/],
    ["a socket in a folder others can enter", { folderMode: 0o755 }, /its folder has mode 0755, open to others/],
  ])("refuses %s and sends it nothing", async (_, modes, why) => {
    await plantSocket(modes);
    const result = await admin(
      fakeDir,
      ["user", "create", "--email", "x@example.com", "--name", "X", "--password-stdin"],
      "a long password",
    );
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(why);
    expect(result.stderr).toMatch(/^error: Refusing to use the admin socket/);
    expect(received).toEqual([]);
  });

  it("trusts only a socket and a folder of its own user", async () => {
    const socketPath = await plantSocket();
    expect(await checkAdminSocket(socketPath)).toBe("trusted");
    const otherUser = (process.getuid?.() ?? 0) + 1;
    await expect(checkAdminSocket(socketPath, otherUser)).rejects.toThrow(UntrustedAdminSocketError);
    await expect(checkAdminSocket(socketPath, otherUser)).rejects.toThrow(/its folder belongs to user/);
  });

  it.runIf(isRoot)("refuses a socket owned by another user", async () => {
    const socketPath = await plantSocket();
    await chown(socketPath, nobody, nobody);
    const result = await admin(fakeDir, ["token", "create", "--email", "demo@repokeys.local"]);
    expect(result).toMatchObject({ exitCode: 1, stdout: "" });
    expect(result.stderr).toContain(`it belongs to user ${nobody}, not to you (0)`);
    expect(received).toEqual([]);
  });

  it("opens the database itself when the socket was left by an app that is gone", async () => {
    fakeDir = await mkdtemp(path.join(tmpdir(), "repokeys-stale-"));
    const socketPath = adminSocketPath(fakeDir);
    await mkdir(path.dirname(socketPath), { mode: 0o700 });
    // A process that made the socket and died without removing it.
    const crashed = `const s = require("net").createServer().listen(${JSON.stringify(socketPath)}, () => {
      require("fs").chmodSync(${JSON.stringify(socketPath)}, 0o600); process.kill(process.pid, "SIGKILL"); });`;
    await promisify(execFile)(process.execPath, ["-e", crashed]).catch(() => {});
    expect(await checkAdminSocket(socketPath)).toBe("trusted");
    const result = await admin(fakeDir, ["workspace", "list"]);
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toEqual({ workspaces: [], total: 0, skip: 0, take: 100 });
  });
});
