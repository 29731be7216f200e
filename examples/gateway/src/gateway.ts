import { createServer, type IncomingHttpHeaders, request, type Server } from "node:http";

/** The AI types a repokeys key can have. */
export type AiType = "OPENAI" | "GOOGLE" | "ANTHROPIC" | "AWS" | "OTHER";

/** The answer of `POST /ai/apikey/verify` (the server's OpenAPI document, `/openapi.json`, describes it). */
type Verdict =
  | { valid: true; apikeyId: string; repoId: string; workspaceId: string; aiType: AiType; name: string }
  | { valid: false; code: "INVALID" | "EXPIRED" };

export interface GatewayOptions {
  /** Where repokeys serves its REST API, e.g. https://keys.example.com */
  repokeysUrl: string;
  /** A gateway token (`npm run admin -- gateway-token create --name <name>`): it can verify keys and nothing else. */
  gatewayToken: string;
  /** The upstream base URL for each AI type; a key of a type not listed is refused. */
  upstreams: Partial<Record<AiType, string>>;
  /** Headers added to each forwarded request, per AI type: typically the provider's own API key. */
  upstreamHeaders?: Partial<Record<AiType, Record<string, string>>>;
  /** One line per request: method, path, status, the key's id when known. Never a key's secret. */
  log?: (line: Record<string, unknown>) => void;
}

/** Apps send their pair in these headers; the gateway removes them before forwarding. */
export const keyHeader = "x-repokeys-key";
export const secretHeader = "x-repokeys-secret";

const refusals = {
  missing: [401, `Send your repokeys key and secret in the ${keyHeader} and ${secretHeader} headers.`],
  INVALID: [401, "The repokeys key or secret is not valid (unknown key, wrong secret, or a deleted key)."],
  EXPIRED: [
    401,
    "This repokeys key has expired (past its expiry, or the grace period after a rotation): use its replacement.",
  ],
  unverifiable: [502, "The gateway could not check the key with repokeys right now; try again shortly."],
} as const;

// Plain fetch rather than @repokeys/client: one call, and this shows what a gateway in any language sends.
async function verify(options: GatewayOptions, key: string, secret: string): Promise<Verdict> {
  const response = await fetch(new URL("/ai/apikey/verify", options.repokeysUrl), {
    method: "POST",
    headers: { authorization: `Bearer ${options.gatewayToken}`, "content-type": "application/json" },
    body: JSON.stringify({ key, secret }),
  });
  if (!response.ok) throw new Error(`repokeys answered ${response.status}`);
  return (await response.json()) as Verdict;
}

/** What the upstream gets: the app's headers without its repokeys credentials, hop-by-hop headers or host. */
function forwardedHeaders(incoming: IncomingHttpHeaders, extra: Record<string, string>, apikeyId: string) {
  const dropped = new Set([keyHeader, secretHeader, "host", "connection", "keep-alive", "transfer-encoding"]);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !dropped.has(name)) headers[name] = value;
  }
  return { ...headers, ...extra, "x-repokeys-apikey-id": apikeyId };
}

export function createGateway(options: GatewayOptions): Server {
  const log = options.log ?? ((line) => console.log(JSON.stringify(line)));
  return createServer(async (req, res) => {
    const line: Record<string, unknown> = { method: req.method, path: req.url };
    const refuse = ([status, message]: readonly [number, string]) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: message }));
      log({ ...line, status });
    };
    const key = req.headers[keyHeader];
    const secret = req.headers[secretHeader];
    if (typeof key !== "string" || typeof secret !== "string") return refuse(refusals.missing);

    let verdict: Verdict;
    try {
      verdict = await verify(options, key, secret);
    } catch (err) {
      line.error = (err as Error).message;
      return refuse(refusals.unverifiable);
    }
    if (!verdict.valid) {
      line.verdict = verdict.code;
      return refuse(refusals[verdict.code]);
    }
    line.apikeyId = verdict.apikeyId;
    const upstream = options.upstreams[verdict.aiType];
    if (!upstream) return refuse([502, `No upstream is configured for AI type ${verdict.aiType}.`]);

    const target = new URL(req.url ?? "/", upstream);
    const forward = request(
      target,
      {
        method: req.method,
        headers: forwardedHeaders(req.headers, options.upstreamHeaders?.[verdict.aiType] ?? {}, verdict.apikeyId),
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        upstreamRes.pipe(res);
        log({ ...line, status: upstreamRes.statusCode, upstream: target.origin });
      },
    );
    forward.on("error", () => {
      if (!res.headersSent) refuse([502, "The upstream did not answer."]);
      else res.destroy();
    });
    req.pipe(forward);
  });
}
