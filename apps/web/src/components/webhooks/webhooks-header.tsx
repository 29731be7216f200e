import Link from "next/link";
import type { ReactNode } from "react";
import { RoleBadge } from "@/components/role-badge";
import { webhooksPath } from "./webhook-paths";

/** A webhooks page's title under its workspace's name; a delivery log links back to the list. */
export function WebhooksHeader({
  workspace,
  title,
  back = false,
  children,
}: {
  workspace: { id: string; name: string; role: string };
  title: string;
  back?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="page-header">
      <div className="page-title">
        <div className="breadcrumb truncate" title={workspace.name}>
          {back ? (
            <Link href={webhooksPath(workspace.id)}>
              <span aria-hidden="true">← </span>Webhooks of {workspace.name}
            </Link>
          ) : (
            workspace.name
          )}
        </div>
        <h1>{title}</h1>
        {children}
      </div>
      <RoleBadge role={workspace.role} />
    </div>
  );
}
