// The production server against a hostile client: the return path after sign-in, sign-out, lockout by a
// stranger, and slow or too many clients.
import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./support/app-server";
import { postCredentials } from "./support/sign-in";
import { demoAccount, prepareTestData, type TestData, viewerAccount } from "./support/test-data";

const perAccountAndAddress = 3;
const requestTimeoutMs = 3_000;
const headersTimeoutMs = 2_000;
/** Node checks the timeouts this often (server-limits.ts), on top of the timeout itself. */
const checkIntervalMs = 1_000;
const maxConnections = 40;

let data: TestData;
let server: AppServer;

const url = (pathname: string) => `${server.baseUrl}${pathname}`;
const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((c) => c.split(";", 1)[0])
    .join("; ");

/** Signs in by posting the password, as a script would; answers the session cookie, or undefined. */
async function signIn(account: { email: string; password: string }, address = "192.0.2.10") {
  const response = await postCredentials(server.baseUrl, account, { "x-forwarded-for": address });
  return response.headers
    .getSetCookie()
    .find((c) => c.startsWith("authjs.session-token="))
    ?.split(";", 1)[0];
}

/** What Auth.js's sign-out button posts. */
async function signOut(session: string) {
  const csrf = await fetch(url("/api/auth/csrf"), { headers: { cookie: session } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(url("/api/auth/signout"), {
    method: "POST",
    redirect: "manual",
    headers: { cookie: `${session}; ${cookiesOf(csrf)}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/sign-in" }),
  });
}

const home = (session: string) => fetch(url("/"), { redirect: "manual", headers: { cookie: session } });
/**
 * Whether a page answered "sign in first": the proxy's 307 for a request without a session cookie, or, for a cookie
 * that is no session, the page's own redirect, streamed after its loading state, with none of the page's content.
 */
async function sentToSignIn(page: Response): Promise<boolean> {
  if (page.status === 307) return new URL(page.headers.get("location")!, server.baseUrl).pathname === "/sign-in";
  const html = await page.text();
  const redirected = html.includes("NEXT_REDIRECT;replace;/sign-in?");
  expect(redirected && html.includes(demoAccount.workspaceName)).toBe(false);
  return redirected;
}
const listWorkspaces = (session: string) =>
  fetch(url("/api/trpc/listWorkspaces"), { headers: { cookie: session, "sec-fetch-site": "same-origin" } });

/** Opens a raw connection to the server. */
async function openSocket(): Promise<Socket> {
  const socket = connect(Number(new URL(server.baseUrl).port), "127.0.0.1");
  socket.on("error", () => {}); // a reset by the server is an answer here
  socket.resume(); // so that the server closing it is seen
  await once(socket, "connect");
  return socket;
}

/** Keeps writing `drip` every 200 ms until the server closes the connection; answers when, and what it said. */
async function trickle(
  socket: Socket,
  start: string,
  drip: string,
): Promise<{ closedAfterMs: number; answer: string }> {
  const started = Date.now();
  let answer = "";
  socket.on("data", (chunk) => {
    answer += chunk;
  });
  socket.write(start);
  const timer = setInterval(() => {
    if (socket.writable) socket.write(drip);
  }, 200);
  const giveUp = setTimeout(() => socket.destroy(), 20_000);
  await once(socket, "close");
  clearInterval(timer);
  clearTimeout(giveUp);
  return { closedAfterMs: Date.now() - started, answer };
}

beforeAll(async () => {
  data = await prepareTestData();
  server = await startAppServer({
    ...data.env,
    // The lockout test speaks for several client addresses through X-Forwarded-For.
    TRUST_PROXY: "1",
    RATE_LIMIT_SIGNIN_PER_ACCOUNT: String(perAccountAndAddress),
    HTTP_REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
    HTTP_HEADERS_TIMEOUT_MS: String(headersTimeoutMs),
    HTTP_MAX_CONNECTIONS: String(maxConnections),
  });
});

afterAll(async () => {
  await server?.stop();
  await data?.dispose();
});

describe("the public URL behind the trusted proxy (TRUST_PROXY=1)", () => {
  it("comes from the proxy's X-Forwarded-Host and X-Forwarded-Proto", async () => {
    const providers = await fetch(url("/api/auth/providers"), {
      headers: { "x-forwarded-host": "keys.example.com", "x-forwarded-proto": "https" },
    });
    expect((await providers.json()).credentials.callbackUrl).toBe(
      "https://keys.example.com/api/auth/callback/credentials",
    );
  });
});

describe("the return path after sign-in", () => {
  it.each([
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d/evil.example",
    "/%2F/evil.example",
    "//evil.example",
    "https://evil.example/",
  ])("sends a signed-in visitor of /sign-in?callbackUrl=%s to /, not elsewhere nor a 500", async (hostile) => {
    const session = await signIn(demoAccount);
    const response = await fetch(url(`/sign-in?callbackUrl=${hostile}`), {
      redirect: "manual",
      headers: { cookie: session! },
    });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/");
  });

  it("keeps a non-ASCII path on this site, as a valid header", async () => {
    const session = await signIn(demoAccount);
    const response = await fetch(url(`/sign-in?callbackUrl=${encodeURIComponent("/repos/é?x=ü")}`), {
      redirect: "manual",
      headers: { cookie: session! },
    });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/repos/%C3%A9?x=%C3%BC");
  });
});

describe("sign-out", () => {
  it("ends the session it is sent with and every other session of the user, for pages and the API", async () => {
    const [thisDevice, otherDevice] = [await signIn(demoAccount), await signIn(demoAccount)];
    const viewer = await signIn(viewerAccount);
    for (const session of [thisDevice!, otherDevice!]) {
      expect(await sentToSignIn(await home(session))).toBe(false);
      expect((await listWorkspaces(session)).status).toBe(200);
    }

    const signedOut = await signOut(thisDevice!);
    expect(signedOut.status).toBe(302);
    for (const session of [thisDevice!, otherDevice!]) {
      expect(await sentToSignIn(await home(session))).toBe(true);
      expect((await listWorkspaces(session)).status).toBe(401);
    }
    // Another user's session is untouched, and signing in again works.
    expect((await listWorkspaces(viewer!)).status).toBe(200);
    const again = await signIn(demoAccount);
    expect((await listWorkspaces(again!)).status).toBe(200);
  });
});

describe("lockout", () => {
  it("lets the right password in from the person's address after 10 wrong attempts from elsewhere", async () => {
    const stranger = "198.51.100.66";
    const codes: (string | null)[] = [];
    for (let i = 0; i < 10; i++) {
      const response = await postCredentials(
        server.baseUrl,
        { email: viewerAccount.email, password: "not-the-password" },
        { "x-forwarded-for": stranger },
      );
      codes.push(new URL(response.headers.get("location") ?? "/", server.baseUrl).searchParams.get("code"));
    }
    // The stranger is refused from the fourth attempt on, right password or not.
    expect(codes.slice(0, perAccountAndAddress)).toEqual(Array(perAccountAndAddress).fill("credentials"));
    expect(new Set(codes.slice(perAccountAndAddress))).toEqual(new Set(["rate_limited"]));
    expect(await signIn(viewerAccount, stranger)).toBeUndefined();

    expect(await signIn(viewerAccount, "203.0.113.5")).toBeDefined();
  });
});

describe("slow and too many clients", () => {
  it("cuts off a slow upload once the request timeout has passed, with a 408", async () => {
    const socket = await openSocket();
    const { closedAfterMs, answer } = await trickle(
      socket,
      "POST /api/auth/callback/credentials HTTP/1.1\r\nHost: x\r\n" +
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n",
      "a",
    );
    expect(closedAfterMs).toBeGreaterThanOrEqual(requestTimeoutMs - 100);
    expect(closedAfterMs).toBeLessThan(requestTimeoutMs + checkIntervalMs + 1_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("cuts off headers that arrive too slowly once the headers timeout has passed", async () => {
    const socket = await openSocket();
    const { closedAfterMs } = await trickle(socket, "GET / HTTP/1.1\r\nHost: x\r\n", "X-Slow: 1\r\n");
    expect(closedAfterMs).toBeGreaterThanOrEqual(headersTimeoutMs - 100);
    expect(closedAfterMs).toBeLessThan(headersTimeoutMs + checkIntervalMs + 1_000);
  });

  it("closes connections past the cap at once, and serves again when they are gone", async () => {
    const sockets: Socket[] = [];
    for (let i = 0; i < maxConnections + 10; i++) sockets.push(await openSocket());
    await new Promise((done) => setTimeout(done, 500));
    const open = sockets.filter((s) => !s.destroyed && !s.readableEnded);
    expect(open.length).toBeLessThanOrEqual(maxConnections);
    expect(sockets.length - open.length).toBeGreaterThanOrEqual(10);
    for (const socket of sockets) socket.destroy();
    await new Promise((done) => setTimeout(done, 200));
    expect((await fetch(url("/api/auth/csrf"))).status).toBe(200);
  });
});
