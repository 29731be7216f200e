import type { KeysUsage, RepoAiApiKeyDto } from "@repokeys/api";

/** The keys table loads a repository's keys (with their usage) this many at a time: the server's largest page. */
export const keysTablePageSize = 1_000;

/** One page of the keys table, as `listAiApiKeys` answers it with usage. */
export interface KeysPage {
  apiKeys: RepoAiApiKeyDto[];
  nextCursor?: string | null;
  usage?: KeysUsage;
}

/** The first page's input (the server page renders it too); later pages add the previous page's `nextCursor`. */
export const keysTableInput = (repoId: string) => ({ repoId, include: "usage", limit: keysTablePageSize });
