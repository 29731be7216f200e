/** The webhooks page of a workspace, and one endpoint's delivery log below it. */
export const webhooksPath = (workspaceId: string) => `/workspaces/${encodeURIComponent(workspaceId)}/webhooks`;
export const deliveriesPath = (workspaceId: string, endpointId: string) =>
  `${webhooksPath(workspaceId)}/${encodeURIComponent(endpointId)}`;
