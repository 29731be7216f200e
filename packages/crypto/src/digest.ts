import { createHash, timingSafeEqual } from "node:crypto";

export function sha256(input: string | Buffer): Buffer {
  return createHash("sha256").update(input).digest();
}

/** Compares without leaking, through timing, how long a matching prefix is. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
