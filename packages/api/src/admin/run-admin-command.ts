import { parseArgs } from "node:util";
import { MasterKeyConfigError } from "@repokeys/crypto";
import { DatabaseCopyError, DataDirNotEmptyError, EmbeddedDatabaseInUseError } from "@repokeys/db";
import { TRPCError } from "@trpc/server";
import { toPublicError } from "../errors/public-error";
import { type AdminCommand, type AdminCommandContext, adminCommands, UsageError } from "./admin-commands";
import { OperatorError } from "./operator-actions";

/** What a command printed and how it ended: written to the caller's stdout and stderr as they are. */
export interface AdminCommandOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export const adminUsage = `Usage: npm run admin -- <command> [options]

${Object.entries(adminCommands)
  .map(([name, command]) => `  ${name} ${command.synopsis}`)
  .join("\n")}

Runs against DATABASE_URL (PostgreSQL) when set, otherwise the embedded database in DATA_DIR; while the
app serves that embedded database, the app runs the command (through its admin socket in DATA_DIR/run).`;

type Parsed = { command: AdminCommand; values: Record<string, unknown> } | { help: boolean };

/** The command `argv` names, if it names one: one word (`backup`) or two (`token create`). */
export function adminCommandName(argv: readonly string[]): string | undefined {
  const two = argv.slice(0, 2).join(" ");
  if (Object.hasOwn(adminCommands, two)) return two;
  return argv[0] !== undefined && Object.hasOwn(adminCommands, argv[0]) ? argv[0] : undefined;
}

function parse(argv: readonly string[]): Parsed {
  const wantsHelp = argv.includes("--help") || argv.includes("-h");
  const name = adminCommandName(argv);
  const command = name === undefined ? undefined : adminCommands[name];
  const words = name?.split(" ").length ?? 0;
  if (wantsHelp || !command) return { help: wantsHelp };
  const names = command.positionals ?? [];
  const { values, positionals } = parseArgs({
    args: argv.slice(words),
    options: command.options,
    strict: true,
    allowPositionals: names.length > 0,
  });
  if (positionals.length !== names.length) {
    throw new UsageError(`${name} takes ${names.map((n) => `<${n}>`).join(" ")} after its name.`);
  }
  return { command, values: { ...values, ...Object.fromEntries(names.map((n, i) => [n, positionals[i]])) } };
}

/** Whether the command in `argv` reads standard input (which the caller then sends along); false when `argv` does not parse. */
export function adminCommandReadsStdin(argv: readonly string[]): boolean {
  try {
    const parsed = parse(argv);
    return "command" in parsed && parsed.command.readsStdin?.(parsed.values as never) === true;
  } catch {
    return false;
  }
}

/**
 * Runs one admin command line: the one implementation behind both the command line on its own and the running
 * app's admin socket, so both print the same. Never throws: every failure becomes a message and an exit code.
 */
export async function runAdminCommand(
  argv: readonly string[],
  context: AdminCommandContext,
): Promise<AdminCommandOutput> {
  try {
    const parsed = parse(argv);
    if (!("command" in parsed)) return { stdout: "", stderr: `${adminUsage}\n`, exitCode: parsed.help ? 0 : 2 };
    const result = await parsed.command.run(context, parsed.values as never);
    const stdout = typeof result === "string" ? `${result}\n` : `${JSON.stringify(result, null, 2)}\n`;
    return { stdout, stderr: "", exitCode: 0 };
  } catch (err) {
    return { stdout: "", ...describeFailure(err) };
  }
}

function describeFailure(err: unknown): Omit<AdminCommandOutput, "stdout"> {
  const parseArgsError =
    err instanceof TypeError && String((err as NodeJS.ErrnoException).code).startsWith("ERR_PARSE_ARGS");
  if (err instanceof UsageError || parseArgsError)
    return { stderr: `error: ${(err as Error).message}\n\n${adminUsage}\n`, exitCode: 2 };
  const rejectedInput = err instanceof TRPCError && err.code !== "INTERNAL_SERVER_ERROR";
  if (rejectedInput) return { stderr: `error: ${toPublicError(err, "admin-cli").body.message}\n`, exitCode: 1 };
  const known =
    err instanceof OperatorError ||
    err instanceof EmbeddedDatabaseInUseError ||
    err instanceof DataDirNotEmptyError ||
    err instanceof DatabaseCopyError ||
    err instanceof MasterKeyConfigError;
  if (known) return { stderr: `error: ${err.message}\n`, exitCode: 1 };
  return { stderr: `${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`, exitCode: 1 };
}
