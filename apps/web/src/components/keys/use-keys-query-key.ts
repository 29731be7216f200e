"use client";
import type { RepoAiApiKeyDto } from "@repokeys/api";
import type { InfiniteData } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/trpc";
import { type KeysPage, keysTableInput } from "./keys-table-page";

/** The table's loaded pages, in the query cache. */
export type KeysTableData = InfiniteData<KeysPage, string | null>;

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
