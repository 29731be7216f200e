import { hashPassword } from "@repokeys/crypto";
import type { Database } from "./connect";

/** The demo account of the embedded default, printed at start-up so a newcomer can sign in at once. */
export const demoAccount = {
  email: "demo@repokeys.local",
  password: "demo-password",
  name: "Demo User",
  workspaceName: "Demo workspace",
  repoName: "demo-repo",
} as const;

export interface SeedResult {
  userId: string;
  workspaceId: string;
  repoId: string;
}

/** Creates the demo user, workspace (the user as OWNER) and repository; running it again changes nothing. */
export async function seedDemo(db: Database): Promise<SeedResult> {
  const { prisma } = db;
  const existing = await prisma.user.findUnique({ where: { email: demoAccount.email } });
  const user =
    existing ??
    (await prisma.user.upsert({
      where: { email: demoAccount.email },
      update: {},
      create: {
        email: demoAccount.email,
        name: demoAccount.name,
        passwordHash: await hashPassword(demoAccount.password),
      },
    }));
  return prisma.$transaction(async (tx) => {
    const membership = await tx.workspaceMember.findFirst({
      where: { userId: user.id, role: "OWNER", workspace: { name: demoAccount.workspaceName } },
    });
    const workspaceId =
      membership?.workspaceId ??
      (
        await tx.workspace.create({
          data: { name: demoAccount.workspaceName, members: { create: { userId: user.id, role: "OWNER" } } },
        })
      ).id;
    const repo = await tx.repo.upsert({
      where: { workspaceId_name: { workspaceId, name: demoAccount.repoName } },
      update: {},
      create: { workspaceId, name: demoAccount.repoName },
    });
    return { userId: user.id, workspaceId, repoId: repo.id };
  });
}
