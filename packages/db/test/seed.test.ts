import { verifyPassword } from "@repokeys/crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { demoAccount, seedDemo } from "../src";
import { createTestDatabase, type TestDatabase } from "../src/testing";

let test: TestDatabase;
beforeAll(async () => {
  test = await createTestDatabase();
});
afterAll(() => test.dispose());

it("seeds the demo user, workspace and repository once, however often it runs", async () => {
  const first = await seedDemo(test.db);
  const second = await seedDemo(test.db);
  expect(second).toEqual(first);

  const { prisma } = test.db;
  expect(await prisma.user.count()).toBe(1);
  expect(await prisma.workspace.count()).toBe(1);
  expect(await prisma.repo.count()).toBe(1);
  const member = await prisma.workspaceMember.findFirstOrThrow({ include: { user: true, workspace: true } });
  expect(member).toMatchObject({
    role: "OWNER",
    user: { email: demoAccount.email },
    workspace: { name: demoAccount.workspaceName },
  });
  expect(await verifyPassword(member.user.passwordHash!, demoAccount.password)).toBe(true);
});
