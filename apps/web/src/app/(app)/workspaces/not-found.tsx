import Link from "next/link";
import { EmptyState } from "@/components/empty-state";

/**
 * Answered with HTTP 404: the workspace (or webhook endpoint) does not exist, the visitor is not in it, or their
 * role there (MEMBER, VIEWER) may not manage webhooks; one answer for all, so ids cannot be probed.
 */
export default function NotFound() {
  return (
    <div className="card">
      <EmptyState title="Webhooks not found">
        <p>
          This workspace or endpoint does not exist, or you are not an OWNER or ADMIN of its workspace (only they manage
          webhooks).
        </p>
        <Link href="/" className="button">
          Back to your repositories
        </Link>
      </EmptyState>
    </div>
  );
}
