"use client";
import { useTRPC } from "@/trpc/trpc";

/** The cache entry of a workspace's endpoint list, which every endpoint mutation refreshes. */
export function useEndpointsQueryKey(workspaceId: string) {
  return useTRPC().listWebhookEndpoints.queryKey({ workspaceId });
}
