/** The roles that may manage a workspace's webhooks; the server checks it on every procedure regardless. */
export const managesWebhooks = (role: string) => role === "OWNER" || role === "ADMIN";

/** The webhooks page of a workspace, and one endpoint's delivery log below it. */
export const webhooksPath = (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}/webhooks`;
export const deliveriesPath = (workspaceId: string, endpointId: string) =>
  `${webhooksPath(workspaceId)}/${encodeURIComponent(endpointId)}`;
