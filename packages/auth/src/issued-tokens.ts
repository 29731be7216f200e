import type { SqlRunner } from "@repokeys/db";

/**
 * Hashes (base64) of tokens known to have been issued: every live one when the process started, and every one
 * found since. Tokens minted before check parts existed can be told real only by the database; this set tells
 * them without asking it, so that a stranger spending an address's lookup budget cannot lock them out. Its size
 * is the number of tokens issued (a person holds at most 20 live ones), not the number presented.
 */
export class IssuedTokens {
  private readonly hashes = new Set<string>();

  constructor(
    private readonly sql: SqlRunner,
    /** The statement that reads the live tokens' hashes as `"tokenHash"`. */
    private readonly liveStatement: string,
  ) {}

  async load(): Promise<void> {
    const rows = await this.sql.query<{ tokenHash: Uint8Array }>(this.liveStatement);
    for (const row of rows) this.hashes.add(Buffer.from(row.tokenHash).toString("base64"));
  }

  has(hash: string): boolean {
    return this.hashes.has(hash);
  }

  add(hash: string): void {
    this.hashes.add(hash);
  }
}
