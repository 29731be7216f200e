import { canonicalEmail } from "@repokeys/auth";
import { hashPassword } from "@repokeys/crypto";
import { Prisma, type WorkspaceRole } from "@repokeys/db";
import { z } from "zod";
import { recordSystemEventCte } from "../audit/system-event";
import { displayText, entityId, userNameMaxLength } from "../schemas/common";
import type { ApiServices } from "../services";

/**
 * What an operator does from the command line (and tests set up with): accounts, workspaces, repositories
 * and memberships. These have no REST or web path, so they are not router procedures.
 */
export class OperatorError extends Error {
  override name = "OperatorError";
}

const email = z.string().transform(canonicalEmail).pipe(z.email("That is not an email address.").max(254));
const password = z.string().min(10, "A password must be at least 10 characters.").max(200);
const name = displayText("Name", userNameMaxLength);
export const workspaceRoles = ["OWNER", "ADMIN", "MEMBER", "VIEWER"] as const satisfies readonly WorkspaceRole[];

export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new OperatorError(result.error.issues.map((i) => i.message).join(" "));
  return result.data;
}

function uniqueViolation(err: unknown): boolean {
  return err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002";
}

export async function createUser(services: ApiServices, input: { email: string; name: string; password?: string }) {
  const data = {
    email: parse(email, input.email),
    name: parse(name, input.name),
    passwordHash: input.password === undefined ? null : await hashPassword(parse(password, input.password)),
  };
  try {
    return await services.db.prisma.user.create({ data, select: { id: true, email: true, name: true } });
  } catch (err) {
    if (uniqueViolation(err)) throw new OperatorError(`A user with the email ${data.email} already exists.`);
    throw err;
  }
}

async function userByEmail(services: ApiServices, address: string) {
  const user = await services.db.prisma.user.findUnique({ where: { email: parse(email, address) } });
  if (!user) throw new OperatorError(`No user has the email ${address}. Create one with \`admin user create\`.`);
  return user;
}

export async function createWorkspace(services: ApiServices, input: { name: string; ownerEmail: string }) {
  const owner = await userByEmail(services, input.ownerEmail);
  return services.db.prisma.workspace.create({
    data: { name: parse(name, input.name), members: { create: { userId: owner.id, role: "OWNER" } } },
    select: { id: true, name: true },
  });
}

export async function createRepo(services: ApiServices, input: { workspaceId: string; name: string }) {
  const workspace = await services.db.prisma.workspace.findUnique({ where: { id: input.workspaceId } });
  if (!workspace) throw new OperatorError(`No workspace has the id ${input.workspaceId}.`);
  try {
    return await services.db.prisma.repo.create({
      data: { workspaceId: workspace.id, name: parse(name, input.name) },
      select: { id: true, name: true, workspaceId: true },
    });
  } catch (err) {
    if (uniqueViolation(err))
      throw new OperatorError(`Workspace ${workspace.name} already has a repository named ${input.name}.`);
    throw err;
  }
}

/** Adds the user to the workspace, or changes the role they already have there. */
export async function setMember(services: ApiServices, input: { workspaceId: string; email: string; role: string }) {
  const role = parse(
    z.enum(workspaceRoles, { error: `Role must be one of ${workspaceRoles.join(", ")}.` }),
    input.role,
  );
  const user = await userByEmail(services, input.email);
  const workspace = await services.db.prisma.workspace.findUnique({ where: { id: input.workspaceId } });
  if (!workspace) throw new OperatorError(`No workspace has the id ${input.workspaceId}.`);
  await services.db.sql.query(setMemberStatement, [workspace.id, user.id, role]);
  return { workspaceId: workspace.id, userId: user.id, role };
}

/**
 * Who may do what is the change an audit trail is most asked about: the membership and its event are one
 * statement, and setting the role a member already has changes nothing and records nothing. The operator is
 * not a user, so the event names none (`userId` NULL) and says `via: operator`.
 */
const setMemberStatement = `
  WITH before AS (
    SELECT role FROM "WorkspaceMember" WHERE "workspaceId" = $1 AND "userId" = $2),
  changed AS (
    INSERT INTO "WorkspaceMember" ("workspaceId", "userId", role) VALUES ($1, $2, $3::"WorkspaceRole")
    ON CONFLICT ("workspaceId", "userId") DO UPDATE SET role = EXCLUDED.role
    WHERE "WorkspaceMember".role IS DISTINCT FROM EXCLUDED.role
    RETURNING "workspaceId", "userId", role),
  ${recordSystemEventCte({
    context: "workspaceuser",
    event: { sql: `CASE WHEN EXISTS (SELECT 1 FROM before) THEN 'updated' ELSE 'created' END` },
    source: "changed",
    contextId: `changed."userId"`,
    workspaceId: `changed."workspaceId"`,
    userId: "NULL",
    jsonData: `jsonb_build_object('memberId', changed."userId",
      'before', (SELECT jsonb_build_object('role', role) FROM before), 'after', jsonb_build_object('role', changed.role))`,
    viaParam: "'operator'",
  })}
  SELECT 1`;

export async function actorByEmail(services: ApiServices, address: string) {
  const user = await userByEmail(services, address);
  return { userId: user.id, email: user.email, name: user.name };
}

/** Lists are paged so that a large installation cannot make one command read every row. */
export const maxListTake = 1_000;
export const page = z.object({
  skip: z.coerce
    .number({ error: "--skip must be a number." })
    .int("--skip must be a whole number.")
    .min(0, "--skip must not be negative.")
    .max(1_000_000_000, "--skip is too large.")
    .default(0),
  take: z.coerce
    .number({ error: "--take must be a number." })
    .int("--take must be a whole number.")
    .min(1, "--take must be at least 1.")
    .max(maxListTake, `--take must be at most ${maxListTake}.`)
    .default(100),
});
export type PageInput = { skip?: string | number; take?: string | number };

/** Every workspace with its number of members and repositories, oldest first, so an operator can find ids. */
export async function listWorkspaces(services: ApiServices, input: PageInput = {}) {
  const { skip, take } = parse(page, input);
  const [rows, total] = await Promise.all([
    services.db.prisma.workspace.findMany({
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      skip,
      take,
      select: { id: true, name: true, createdAt: true, _count: { select: { members: true, repos: true } } },
    }),
    services.db.prisma.workspace.count(),
  ]);
  return {
    workspaces: rows.map(({ _count, ...workspace }) => ({ ...workspace, ..._count })),
    total,
    skip,
    take,
  };
}

/** Repositories, of one workspace or of all, oldest first, each with its workspace's name. */
export async function listRepos(services: ApiServices, input: PageInput & { workspaceId?: string } = {}) {
  const { skip, take } = parse(page, input);
  const workspaceId = input.workspaceId === undefined ? undefined : parse(entityId("--workspace"), input.workspaceId);
  if (workspaceId !== undefined) {
    const workspace = await services.db.prisma.workspace.findUnique({ where: { id: workspaceId } });
    if (!workspace) throw new OperatorError(`No workspace has the id ${workspaceId}.`);
  }
  const where = workspaceId === undefined ? {} : { workspaceId };
  const [rows, total] = await Promise.all([
    services.db.prisma.repo.findMany({
      where,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      skip,
      take,
      select: { id: true, name: true, workspaceId: true, createdAt: true, workspace: { select: { name: true } } },
    }),
    services.db.prisma.repo.count({ where }),
  ]);
  return {
    repos: rows.map(({ workspace, ...repo }) => ({ ...repo, workspaceName: workspace.name })),
    total,
    skip,
    take,
  };
}
