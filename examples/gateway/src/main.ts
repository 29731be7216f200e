// Runs the example gateway: REPOKEYS_URL, REPOKEYS_GATEWAY_TOKEN, PORT, and UPSTREAM_<AITYPE> base URLs,
// e.g. UPSTREAM_OPENAI=https://api.openai.com with UPSTREAM_OPENAI_AUTHORIZATION="Bearer sk-…".
import { type AiType, createGateway } from "./gateway";

const aiTypes: AiType[] = ["OPENAI", "GOOGLE", "ANTHROPIC", "AWS", "OTHER"];
const required = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set.`);
  return value;
};

const upstreams = Object.fromEntries(
  aiTypes.flatMap((type) => (process.env[`UPSTREAM_${type}`] ? [[type, process.env[`UPSTREAM_${type}`]!]] : [])),
);
const upstreamHeaders = Object.fromEntries(
  aiTypes.flatMap((type) => {
    const authorization = process.env[`UPSTREAM_${type}_AUTHORIZATION`];
    return authorization ? [[type, { authorization }]] : [];
  }),
);
const port = Number(process.env.PORT ?? 8787);
createGateway({
  repokeysUrl: required("REPOKEYS_URL"),
  gatewayToken: required("REPOKEYS_GATEWAY_TOKEN"),
  upstreams,
  upstreamHeaders,
}).listen(port, () => console.error(`gateway listening on http://localhost:${port}`));
