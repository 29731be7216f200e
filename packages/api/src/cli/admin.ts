// The operator's command line: `pnpm admin <command>` (see README). Results go to stdout as JSON
// (for `token create`, the bare token), messages to stderr, so scripts can capture the output.
import { parseArgs } from "node:util";
import { MasterKeyConfigError } from "@repokeys/crypto";
import { EmbeddedDatabaseInUseError } from "@repokeys/db";
import { TRPCError } from "@trpc/server";
import { createGatewayToken, listGatewayTokens, revokeGatewayToken } from "../admin/gateway-tokens";
import {
  actorByEmail,
  createRepo,
  createUser,
  createWorkspace,
  OperatorError,
  setMember,
} from "../admin/operator-actions";
import { rotateMasterKey } from "../admin/rotate-master-key";
import { typedCallContext } from "../context";
import { toPublicError } from "../errors/public-error";
import { createLogger } from "../logging/logger";
import { createCaller } from "../root";
import { type ApiServices, apiSettingsFromEnv, startApiServices } from "../services";

const usage = `Usage: pnpm admin <command> [options]

  user create --email <email> --name <name> [--password <password> | --password-stdin]
  workspace create --name <name> --owner <email>
  repo create --workspace <workspaceId> --name <name>
  member set --workspace <workspaceId> --email <email> --role <OWNER|ADMIN|MEMBER|VIEWER>
  token create --email <email> [--name <name>] [--expires-days <days>]   prints only the token
  gateway-token create --name <name>   prints only the token; it can verify keys and nothing else
  gateway-token list
  gateway-token revoke <id>
  keys rotate   re-encrypts every stored secret under the newest MASTER_KEYS version (safe while serving)

Runs against DATABASE_URL (PostgreSQL) when set, otherwise the embedded database in DATA_DIR
(which the app must not hold open at the same time).`;

const options = {
  email: { type: "string" },
  name: { type: "string" },
  password: { type: "string" },
  "password-stdin": { type: "boolean" },
  owner: { type: "string" },
  workspace: { type: "string" },
  role: { type: "string" },
  "expires-days": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>["values"];

class UsageError extends Error {}

function required(values: Values, name: keyof Values): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required.`);
  return value;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** `args` are the positionals after the command's two words (e.g. the id of `gateway-token revoke <id>`). */
const commands: Record<string, (services: ApiServices, values: Values, args: string[]) => Promise<unknown>> = {
  "user create": async (services, values) =>
    createUser(services, {
      email: required(values, "email"),
      name: required(values, "name"),
      password: values["password-stdin"] ? await readStdin() : values.password,
    }),
  "workspace create": (services, values) =>
    createWorkspace(services, { name: required(values, "name"), ownerEmail: required(values, "owner") }),
  "repo create": (services, values) =>
    createRepo(services, { workspaceId: required(values, "workspace"), name: required(values, "name") }),
  "member set": (services, values) =>
    setMember(services, {
      workspaceId: required(values, "workspace"),
      email: required(values, "email"),
      role: required(values, "role"),
    }),
  "token create": async (services, values) => {
    const days = values["expires-days"];
    const expiresInDays = days === undefined ? undefined : Number(days);
    if (expiresInDays !== undefined && !Number.isInteger(expiresInDays))
      throw new UsageError("--expires-days must be a whole number.");
    const actor = await actorByEmail(services, required(values, "email"));
    const created = await createCaller(typedCallContext(services, actor, "admin-cli")).createApiToken({
      name: values.name ?? "admin command line",
      expiresInDays,
    });
    return created.token;
  },
  "keys rotate": (services) => rotateMasterKey(services),
  "gateway-token create": (services, values) => createGatewayToken(services, { name: required(values, "name") }),
  "gateway-token list": (services) => listGatewayTokens(services),
  "gateway-token revoke": (services, _values, args) => {
    if (args.length !== 1) throw new UsageError("gateway-token revoke takes the token's id.");
    return revokeGatewayToken(services, { id: args[0]! });
  },
};

const commandsTakingAnId = new Set(["gateway-token revoke"]);

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options, allowPositionals: true, strict: true });
  const name = positionals.slice(0, 2).join(" ");
  const command = commands[name];
  const args = positionals.slice(2);
  if (values.help || !command || args.length > (commandsTakingAnId.has(name) ? 1 : 0)) {
    console.error(usage);
    return values.help ? 0 : 2;
  }
  // Logs to stderr: stdout carries only the result.
  const services = await startApiServices(
    apiSettingsFromEnv(),
    createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr),
  );
  try {
    const result = await command(services, values, args);
    process.stdout.write(typeof result === "string" ? `${result}\n` : `${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await services.db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const parseArgsError =
      err instanceof TypeError && String((err as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS");
    const rejectedInput = err instanceof TRPCError && err.code !== "INTERNAL_SERVER_ERROR";
    const known =
      err instanceof OperatorError || err instanceof EmbeddedDatabaseInUseError || err instanceof MasterKeyConfigError;
    if (known || rejectedInput || parseArgsError || err instanceof UsageError) {
      const message = rejectedInput ? toPublicError(err, "admin-cli").body.message : (err as Error).message;
      console.error(`error: ${message}`);
      const usageProblem = err instanceof UsageError || parseArgsError;
      if (usageProblem) console.error(`\n${usage}`);
      process.exit(usageProblem ? 2 : 1);
    }
    console.error(err);
    process.exit(1);
  },
);
