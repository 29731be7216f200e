import Link from "next/link";
import { RoleBadge } from "./role-badge";

/** A repository's title and its two views. */
export function RepoHeader({
  repo,
  workspace,
  current,
}: {
  repo: { id: string; name: string };
  workspace: { name: string; role: string };
  current: "keys" | "audit";
}) {
  return (
    <>
      <div className="page-header" style={{ marginBottom: 8 }}>
        <div className="page-title">
          <div className="breadcrumb truncate" title={workspace.name}>
            {workspace.name}
          </div>
          <h1 className="truncate" title={repo.name}>
            {repo.name}
          </h1>
        </div>
        <RoleBadge role={workspace.role} />
      </div>
      <nav aria-label="Repository" className="tabs">
        <Link href={`/repos/${repo.id}`} aria-current={current === "keys" ? "page" : undefined}>
          AI API keys
        </Link>
        <Link href={`/repos/${repo.id}/audit`} aria-current={current === "audit" ? "page" : undefined}>
          Audit trail
        </Link>
      </nav>
    </>
  );
}
