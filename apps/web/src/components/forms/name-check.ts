/** The part of a zod schema a form needs; the schemas themselves come from @repokeys/api/schemas. */
interface Schema {
  safeParse(value: unknown): { success: true } | { success: false; error: { issues: { message: string }[] } };
}

/**
 * The server's own rule for a value, applied before sending, so a bad value is explained without a round trip.
 * The server checks again with the same schema: it stays the authority.
 */
export function problemWith(schema: Schema, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? "This value is not valid.");
}
