import { randomBytes } from "node:crypto";
import { hashPassword, verifyPassword } from "@repokeys/crypto";
import type { Database } from "@repokeys/db";
import { canonicalEmail } from "../account-email";

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
}

/** A hash of a random password with the real parameters: unknown emails cost one verification too. */
let dummyHash: Promise<string> | undefined;

/**
 * Email and password sign-in. An unknown email, an account without a password (it signs in through GitHub or OIDC)
 * and a wrong password all answer null after one Argon2 verification, so neither the answer nor its timing tells
 * whether an account exists.
 */
export async function verifyPasswordSignIn(
  db: Database,
  credentials: { email?: unknown; password?: unknown },
): Promise<SignedInUser | null> {
  const { email, password } = credentials;
  if (typeof email !== "string" || typeof password !== "string" || email.length > 254 || password.length > 200)
    return null;
  const user = await db.prisma.user.findUnique({
    where: { email: canonicalEmail(email) },
    select: { id: true, email: true, name: true, passwordHash: true },
  });
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  if (!user?.passwordHash || !valid) return null;
  return { id: user.id, email: user.email, name: user.name };
}
