import type { ReactNode } from "react";
import { Sidebar } from "@/components/sidebar";
import { currentActor } from "@/server/session";
import { workspacesOf } from "@/server/workspaces";
import { ApiProvider } from "@/trpc/api-provider";

/**
 * The signed-in shell. Each page redirects to sign-in itself (it knows its own path to come back to), so without
 * a session this renders only the page, which redirects.
 */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  if (!actor) return children;
  const workspaces = await workspacesOf(actor);
  return (
    <ApiProvider>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <div className="shell">
        <Sidebar actor={actor} workspaces={workspaces} />
        <main id="main" className="main">
          {children}
        </main>
      </div>
    </ApiProvider>
  );
}
