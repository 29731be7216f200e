import { hash, verify } from "@node-rs/argon2";

// OWASP's recommended Argon2id settings (19 MiB, 2 passes, 1 lane); the library's default algorithm is Argon2id.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    // a malformed stored hash is a failed sign-in, not a crash
    return false;
  }
}
