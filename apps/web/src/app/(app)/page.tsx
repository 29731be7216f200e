import type { Metadata } from "next";
import Link from "next/link";
import { RoleBadge } from "@/components/role-badge";
import { requireActor } from "@/server/session";
import { workspacesOf } from "@/server/workspaces";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const actor = await requireActor("/");
  const workspaces = await workspacesOf(actor);
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Your repositories</h1>
          <p>Pick a repository to manage its AI API keys and read its audit trail.</p>
        </div>
      </div>
      {workspaces.length === 0 ? (
        <div className="card empty">
          <h2>No workspaces yet</h2>
          <p>
            Ask a workspace owner to add you, or create one with the admin command line (npm run admin -- workspace
            create).
          </p>
        </div>
      ) : (
        workspaces.map((w) => (
          <section key={w.id} className="card" style={{ marginBottom: 16 }} aria-labelledby={`ws-${w.id}`}>
            <div className="card-body">
              <div className="page-header" style={{ marginBottom: 8 }}>
                <h2 id={`ws-${w.id}`} className="truncate" title={w.name}>
                  {w.name}
                </h2>
                <RoleBadge role={w.role} />
              </div>
              {w.repos.length === 0 ? (
                <p className="muted">This workspace has no repositories yet.</p>
              ) : (
                <ul className="nav-list">
                  {w.repos.map((r) => (
                    <li key={r.id}>
                      <Link href={`/repos/${r.id}`} className="nav-link truncate" title={r.name}>
                        {r.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          </section>
        ))
      )}
    </>
  );
}
