import { z } from "zod";
import { protectedProcedure } from "../../trpc";
import { listWorkspacesHandler } from "./list.handler";

const workspaceWithRepos = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(["OWNER", "ADMIN", "MEMBER", "VIEWER"]),
  /** Whether the role may create, rename and delete keys: the UI shows write controls from this, the API enforces it. */
  canWriteKeys: z.boolean(),
  /** Whether the role may manage the workspace's webhooks: the UI shows their pages from this, the API enforces it. */
  canManageWebhooks: z.boolean(),
  repos: z.array(z.object({ id: z.string(), name: z.string() })),
});

export const workspaceProcedures = {
  listWorkspaces: protectedProcedure.output(z.array(workspaceWithRepos)).query(listWorkspacesHandler),
};
