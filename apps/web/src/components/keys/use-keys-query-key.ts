"use client";
import { useTRPC } from "@/trpc/trpc";

/** The cache entry of a repository's key list (with usage), which every key mutation updates or refreshes. */
export function useKeysQueryKey(repoId: string) {
  return useTRPC().listAiApiKeys.queryKey({ repoId, include: "usage" });
}
