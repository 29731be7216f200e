import Link from "next/link";
import { EmptyState } from "@/components/empty-state";

/** Answered with HTTP 404: the repository does not exist, or the visitor may not know whether it does. */
export default function NotFound() {
  return (
    <div className="card">
      <EmptyState title="Repository not found">
        <p>This repository does not exist, or you are not a member of its workspace.</p>
        <Link href="/" className="button">
          Back to your repositories
        </Link>
      </EmptyState>
    </div>
  );
}
