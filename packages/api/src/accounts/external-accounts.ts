import type { ExternalAccount, ExternalAccounts, ExternalProfile } from "@repokeys/auth";
import type { SqlRunner } from "@repokeys/db";
import { cleanedDisplayText, userNameMaxLength } from "../schemas/common";

/**
 * Create-or-get in one statement: two first sign-ins with one email at once (two tabs, two instances) both get
 * the one account, where a look-up then an insert would fail one of them on the unique email. The no-op update
 * is what makes PostgreSQL return the existing row; an existing account's name is never changed.
 */
const signInStatement = `
  INSERT INTO "User" (email, name) VALUES ($1, $2)
  ON CONFLICT (email) DO UPDATE SET email = EXCLUDED.email
  RETURNING id, email, name`;

/** External sign-ins' accounts (see ExternalAccounts): the email as given, canonical; the name cleaned and capped. */
export function createExternalAccounts(sql: SqlRunner): ExternalAccounts {
  return {
    async signIn({ email, name }: ExternalProfile): Promise<ExternalAccount> {
      const displayName = (name === undefined ? undefined : cleanedDisplayText(name, userNameMaxLength)) ?? email;
      const [account] = await sql.query<ExternalAccount & Record<string, unknown>>(signInStatement, [
        email,
        displayName,
      ]);
      return account!;
    },
  };
}
