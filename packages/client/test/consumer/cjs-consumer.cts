import { ApiClient, type SystemEventQueryResponse } from "@repokeys/client";

export function updates(repoKeyId: string): Promise<SystemEventQueryResponse> {
  return new ApiClient().getSystemEvents({ skip: 0, take: 10, contextId: repoKeyId, context: 12, event: 1 });
}
