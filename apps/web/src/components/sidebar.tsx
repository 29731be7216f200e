import type { Actor } from "@repokeys/api";
import Link from "next/link";
import { NavLink } from "./nav-link";
import { PhoneMenu } from "./phone-menu";
import { RoleBadge } from "./role-badge";
import { SignOutButton } from "./sign-out-button";
import { webhooksPath } from "./webhooks/webhook-paths";

export interface WorkspaceNav {
  id: string;
  name: string;
  role: string;
  canManageWebhooks: boolean;
  repos: { id: string; name: string }[];
}

export function Sidebar({ actor, workspaces }: { actor: Actor; workspaces: WorkspaceNav[] }) {
  return (
    <aside className="sidebar">
      <div className="sidebar-top">
        <Link href="/" className="brand">
          repokeys
        </Link>
      </div>
      <PhoneMenu>
        <nav aria-label="Workspaces and repositories" className="nav-section">
          <h2>Workspaces</h2>
          {workspaces.length === 0 ? <p className="muted">You are not a member of any workspace yet.</p> : null}
          <ul className="nav-list">
            {workspaces.map((w) => (
              <li key={w.id} className="nav-workspace">
                <div className="nav-workspace-name">
                  <span className="truncate" title={w.name}>
                    {w.name}
                  </span>
                  <RoleBadge role={w.role} />
                </div>
                <ul className="nav-list">
                  {w.repos.map((r) => (
                    <li key={r.id}>
                      <NavLink href={`/repos/${r.id}`} title={r.name}>
                        {r.name}
                      </NavLink>
                    </li>
                  ))}
                  {w.repos.length === 0 ? <li className="muted">No repositories</li> : null}
                </ul>
                {w.canManageWebhooks ? (
                  <ul className="nav-list nav-workspace-tools">
                    <li>
                      <NavLink href={webhooksPath(w.id)}>
                        Webhooks<span className="visually-hidden"> of {w.name}</span>
                      </NavLink>
                    </li>
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        </nav>
        <nav aria-label="Account" className="nav-section">
          <h2>Account</h2>
          <ul className="nav-list">
            <li>
              <NavLink href="/tokens">API tokens</NavLink>
            </li>
          </ul>
        </nav>
        <div className="user-box">
          <div>
            <strong>{actor.name}</strong>
          </div>
          <div className="email">{actor.email}</div>
          <div style={{ marginTop: 8 }}>
            <SignOutButton />
          </div>
        </div>
      </PhoneMenu>
    </aside>
  );
}
