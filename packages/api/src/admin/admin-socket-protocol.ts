import { z } from "zod";

/**
 * One exchange per connection: the caller sends one JSON line (its arguments, its standard input when the
 * command reads it, its working directory), the app answers one JSON line (an `AdminCommandOutput`) and closes.
 */
export const maxAdminRequestBytes = 256 * 1024;

export const adminRequest = z.strictObject({
  argv: z.array(z.string().max(4_096)).max(64),
  stdin: z
    .string()
    .max(64 * 1024)
    .optional(),
  cwd: z
    .string()
    .max(4_096)
    .refine((cwd) => cwd.startsWith("/"), "cwd must be an absolute path"),
});
export type AdminRequest = z.infer<typeof adminRequest>;

export const adminResponse = z.strictObject({
  stdout: z.string(),
  stderr: z.string(),
  exitCode: z.number().int(),
});

export const encodeLine = (message: unknown) => `${JSON.stringify(message)}\n`;
