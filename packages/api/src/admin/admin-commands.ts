import path from "node:path";
import type { ParseArgsConfig, parseArgs } from "node:util";
import { typedCallContext } from "../context";
import { createCaller } from "../root";
import type { ApiServices } from "../services";
import { backupEmbeddedDatabase, type EmbeddedInstallation, restoreEmbeddedDatabase } from "./embedded-backup";
import { createGatewayToken, listGatewayTokenEvents, listGatewayTokens, revokeGatewayToken } from "./gateway-tokens";
import { moveToPostgres } from "./move-to-postgres";
import {
  actorByEmail,
  createRepo,
  createUser,
  createWorkspace,
  listRepos,
  listWorkspaces,
  setMember,
} from "./operator-actions";
import { rotateMasterKey } from "./rotate-master-key";

/** What a command may use: the services (opened on first use), the caller's standard input and directory. */
type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig["options"]>;

export interface AdminCommandContext {
  services(): Promise<ApiServices>;
  /** The caller's standard input, read only for commands whose `readsStdin` says so. */
  stdin: string | undefined;
  /** The caller's working directory: relative paths in arguments are the caller's, not the server's. */
  cwd: string;
  /** The embedded installation the command runs on; undefined on PostgreSQL. */
  embedded: EmbeddedInstallation | undefined;
}

export type AdminValues<O extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ options: O; strict: true; allowPositionals: false }>
>["values"];

export interface AdminCommand<O extends ParseArgsOptionsConfig = ParseArgsOptionsConfig> {
  /** The options after the command's name, as the usage text shows them. */
  synopsis: string;
  options: O;
  /** Names of the words the command takes after its options' values (e.g. `<id>`), each then a value by that name. */
  positionals?: readonly string[];
  readsStdin?: (values: AdminValues<O>) => boolean;
  /** A string result is printed as it is (a token); anything else as JSON. */
  run(context: AdminCommandContext, values: AdminValues<O>): Promise<unknown>;
}

/** A wrong or missing argument: the message and the usage text, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

export function required(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value === "") throw new UsageError(`--${name} is required.`);
  return value;
}

/** Keeps each entry's option types tied to its `run`. */
const command = <const O extends ParseArgsOptionsConfig>(definition: AdminCommand<O>) =>
  definition as unknown as AdminCommand;

/** A path argument as the caller meant it: relative to the caller's directory. */
const callerPath = (context: AdminCommandContext, values: Record<string, unknown>, name: string) =>
  path.resolve(context.cwd, required(values, name));

const paging = { skip: { type: "string" }, take: { type: "string" } } as const;

/**
 * Every admin command, run alike by the command line on its own and by the running app for it (the admin
 * socket): adding a command is adding an entry here.
 */
export const adminCommands: Record<string, AdminCommand> = {
  "user create": command({
    synopsis: "--email <email> --name <name> [--password <password> | --password-stdin]",
    options: {
      email: { type: "string" },
      name: { type: "string" },
      password: { type: "string" },
      "password-stdin": { type: "boolean" },
    },
    readsStdin: (values) => values["password-stdin"] === true,
    run: async (context, values) =>
      createUser(await context.services(), {
        email: required(values, "email"),
        name: required(values, "name"),
        password: values["password-stdin"] ? context.stdin?.replace(/\r?\n$/, "") : values.password,
      }),
  }),
  "workspace create": command({
    synopsis: "--name <name> --owner <email>",
    options: { name: { type: "string" }, owner: { type: "string" } },
    run: async (context, values) =>
      createWorkspace(await context.services(), {
        name: required(values, "name"),
        ownerEmail: required(values, "owner"),
      }),
  }),
  "workspace list": command({
    synopsis: "[--skip <n>] [--take <n>]   every workspace's id, name and counts",
    options: paging,
    run: async (context, values) => listWorkspaces(await context.services(), values),
  }),
  "repo create": command({
    synopsis: "--workspace <workspaceId> --name <name>",
    options: { workspace: { type: "string" }, name: { type: "string" } },
    run: async (context, values) =>
      createRepo(await context.services(), {
        workspaceId: required(values, "workspace"),
        name: required(values, "name"),
      }),
  }),
  "repo list": command({
    synopsis: "[--workspace <workspaceId>] [--skip <n>] [--take <n>]   repositories' ids and names",
    options: { workspace: { type: "string" }, ...paging },
    run: async (context, values) => listRepos(await context.services(), { ...values, workspaceId: values.workspace }),
  }),
  "member set": command({
    synopsis: "--workspace <workspaceId> --email <email> --role <OWNER|ADMIN|MEMBER|VIEWER>",
    options: { workspace: { type: "string" }, email: { type: "string" }, role: { type: "string" } },
    run: async (context, values) =>
      setMember(await context.services(), {
        workspaceId: required(values, "workspace"),
        email: required(values, "email"),
        role: required(values, "role"),
      }),
  }),
  "token create": command({
    synopsis: "--email <email> [--name <name>] [--expires-days <days>]   prints only the token",
    options: { email: { type: "string" }, name: { type: "string" }, "expires-days": { type: "string" } },
    run: async (context, values) => {
      const days = values["expires-days"];
      const expiresInDays = days === undefined ? undefined : Number(days);
      if (expiresInDays !== undefined && !Number.isInteger(expiresInDays))
        throw new UsageError("--expires-days must be a whole number.");
      const services = await context.services();
      const actor = await actorByEmail(services, required(values, "email"));
      const created = await createCaller(typedCallContext(services, actor, "admin-cli")).createApiToken({
        name: values.name ?? "admin command line",
        expiresInDays,
      });
      return created.token;
    },
  }),
  "gateway-token create": command({
    synopsis: "--name <name>   prints only the token; it can verify keys and nothing else",
    options: { name: { type: "string" } },
    run: async (context, values) => createGatewayToken(await context.services(), { name: required(values, "name") }),
  }),
  "gateway-token list": command({
    synopsis: "  every gateway token's id, name, creation and revocation (never the token)",
    options: {},
    run: async (context) => listGatewayTokens(await context.services()),
  }),
  "gateway-token revoke": command({
    synopsis: "<id>",
    options: {},
    positionals: ["id"],
    run: async (context, values) =>
      revokeGatewayToken(await context.services(), { id: required(values as Record<string, unknown>, "id") }),
  }),
  "gateway-token events": command({
    synopsis: "[--skip <n>] [--take <n>]   creations and revocations of gateway tokens, newest first",
    options: paging,
    run: async (context, values) => listGatewayTokenEvents(await context.services(), values),
  }),
  "keys rotate": command({
    synopsis: "  re-encrypts every stored secret under the newest MASTER_KEYS version (safe while serving)",
    options: {},
    run: async (context) => rotateMasterKey(await context.services()),
  }),
  backup: command({
    synopsis: "--file <path>   a consistent SQL dump of the embedded database (pg_dump), also while the app serves",
    options: { file: { type: "string" } },
    run: async (context, values) => {
      if (!context.embedded)
        throw new UsageError("`backup` is for the embedded database; on PostgreSQL use pg_dump (docs/backups.md).");
      return backupEmbeddedDatabase(await context.services(), context.embedded, callerPath(context, values, "file"));
    },
  }),
  restore: command({
    synopsis: "--file <path>   a backup into a data folder that has no database yet (the app stopped)",
    options: { file: { type: "string" } },
    run: (context, values) => restoreEmbeddedDatabase(context.embedded, callerPath(context, values, "file")),
  }),
  "move-to-postgres": command({
    synopsis: "--database-url <url>   copies everything into an empty PostgreSQL database and verifies it",
    options: { "database-url": { type: "string" } },
    run: async (context, values) => {
      if (!context.embedded)
        throw new UsageError("`move-to-postgres` moves the embedded database; DATABASE_URL is set.");
      return moveToPostgres(await context.services(), context.embedded, required(values, "database-url"));
    },
  }),
};
