// The floor: the app's database work with nothing around it, and every trick the app uses:
// node:http + a pg Pool, statements prepared, the app's own token cache (src/floor-kit.ts). Each scenario's
// floor lives beside it under src/scenarios/ (rename-floor.ts, list-floor.ts, audit-floor.ts); this server only
// routes to them.
// No router, no validation library, no request log. It also serves the verify floor (verify-floor.ts), so that
// the busy-repository floor renames and verifies in one process, as the app does. Each floor does what the request asks and nothing the app
// chose on top (no version counter, no ETag); `?version=1` / `?etag=1` add the app's feature work, measured as
// lines of their own.
//
// BASELINE_BARE=1: the old bare floor, kept as a labelled reference only (see rename-floor.ts). It serves
// renames only.
//
//   DATABASE_URL=... PORT=... [DATABASE_POOL_MAX=10] [TOKEN_CACHE_TTL_MS=5000] [BASELINE_BARE=1] \
//     node --import tsx bench/src/baseline-server.ts
import { createServer } from "node:http";
import { bare, fail, pool, sql } from "./floor-kit";
import { auditFloor } from "./scenarios/audit-floor";
import { listFloor } from "./scenarios/list-floor";
import { renameFloor } from "./scenarios/rename-floor";
import { createVerifyFloor, type VerifyFloor } from "./scenarios/verify-floor";

/** Made on the first verification (it needs MASTER_KEYS), for `rename-busy-floor`. */
let verifyFloor: Promise<VerifyFloor> | undefined;

const keyRoute = /^\/repo\/([^/]+)\/ai\/apikey\/([^/]+)\/?$/;
const listRoute = /^\/repo\/([^/]+)\/ai\/apikey\/?$/;

const server = createServer(async (req, res) => {
  try {
    const [path = "/", search = ""] = (req.url ?? "/").split("?", 2);
    const feature = new URLSearchParams(search);
    const key = keyRoute.exec(path);
    if (key && req.method === "PUT")
      return await renameFloor(
        req,
        res,
        decodeURIComponent(key[1]!),
        decodeURIComponent(key[2]!),
        (["version", "webhooks", "counter"] as const).find((name) => feature.has(name)),
      );
    if (path === "/ai/apikey/verify" && req.method === "POST" && !bare) {
      verifyFloor ??= createVerifyFloor(sql);
      return await (await verifyFloor)(req, res);
    }
    const repo = listRoute.exec(path);
    if (repo && req.method === "GET" && !bare)
      return await listFloor(req, res, decodeURIComponent(repo[1]!), feature.has("etag"));
    if (path === "/systemevent" && req.method === "POST" && !bare) return await auditFloor(req, res);
    fail(res, 404, "Not found");
  } catch {
    if (!res.headersSent) fail(res, 500, "Internal error");
  }
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), "127.0.0.1", () => {
  process.stdout.write(`baseline listening on http://127.0.0.1:${process.env.PORT ?? 3100}\n`);
});
const stop = () => server.close(() => pool.end().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
