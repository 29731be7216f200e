import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AuditTable } from "@/components/audit/audit-table";
import { EmptyState } from "@/components/empty-state";
import { RepoHeader } from "@/components/repo-header";
import { webCaller } from "@/server/caller";
import { requireActor } from "@/server/session";
import { repoOf } from "@/server/workspaces";

export const metadata: Metadata = { title: "Audit trail" };

const pageSize = 20;

export default async function RepoAuditPage({
  params,
  searchParams,
}: {
  params: Promise<{ repoId: string }>;
  searchParams: Promise<{ page?: string }>;
}) {
  const { repoId } = await params;
  const requested = Number((await searchParams).page ?? 1);
  const page = Number.isInteger(requested) && requested > 0 ? requested : 1;
  const path = `/repos/${encodeURIComponent(repoId)}/audit`;
  const actor = await requireActor(page > 1 ? `${path}?page=${page}` : path);
  const found = await repoOf(actor, repoId);
  if (!found) notFound();
  const skip = (page - 1) * pageSize;
  // The API refuses a skip past maxSystemEventSkip (1,000): a page beyond it has nothing to show.
  const { events, total } =
    skip > 1_000
      ? { events: [], total: 0 }
      : await webCaller(actor).listSystemEvents({ repoId, context: "aillmapikey", skip, take: pageSize });
  const pages = Math.max(1, Math.ceil(total / pageSize));

  return (
    <>
      <RepoHeader repo={found.repo} workspace={found.workspace} current="audit" />
      <p className="muted">
        Every change to this repository&apos;s keys: who made it, when, what it was before and after, and whether it
        came from the web app, the REST API or a typed call.
      </p>
      <div className="card">
        {events.length === 0 ? (
          <EmptyState title={page > 1 ? "No events on this page" : "No changes yet"}>
            <p>Creating, renaming or deleting a key records an event here.</p>
          </EmptyState>
        ) : (
          <AuditTable events={events} />
        )}
        {total > pageSize ? (
          <nav className="pager" aria-label="Audit trail pages">
            {page > 1 ? (
              <Link href={`${path}?page=${page - 1}`} className="button button-small" rel="prev">
                Newer
              </Link>
            ) : (
              <span />
            )}
            <span className="muted">
              Page {page} of {pages} · {total} events
            </span>
            {page < pages ? (
              <Link href={`${path}?page=${page + 1}`} className="button button-small" rel="next">
                Older
              </Link>
            ) : (
              <span />
            )}
          </nav>
        ) : null}
      </div>
    </>
  );
}
