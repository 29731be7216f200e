"use client";
import type { KeysUsage, RepoAiApiKeyDto } from "@repokeys/api";
import type { InfiniteData } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/trpc";

/** The keys table loads a repository's keys (with their usage) this many at a time: the server's largest page. */
export const keysTablePageSize = 1_000;

/** One page of the keys table, as `listAiApiKeys` answers it with usage. */
export interface KeysPage {
  apiKeys: RepoAiApiKeyDto[];
  nextCursor?: string | null;
  usage?: KeysUsage;
}

/** The table's loaded pages, in the query cache. */
export type KeysTableData = InfiniteData<KeysPage, string | null>;

/** The first page's input; later pages add the previous page's `nextCursor`. */
export const keysTableInput = (repoId: string) => ({ repoId, include: "usage", limit: keysTablePageSize });

/** The cache entry of a repository's keys table (its loaded pages), which every key mutation updates or refreshes. */
export function useKeysQueryKey(repoId: string) {
  return useTRPC().listAiApiKeys.infiniteQueryKey(keysTableInput(repoId));
}

/** The loaded pages with `change` applied to each key (an optimistic rename, or the version it answered). */
export function withEachKey(
  data: KeysTableData | undefined,
  change: (key: RepoAiApiKeyDto) => RepoAiApiKeyDto,
): KeysTableData | undefined {
  return data && { ...data, pages: data.pages.map((page) => ({ ...page, apiKeys: page.apiKeys.map(change) })) };
}
