import Link from "next/link";
import { EmptyState } from "@/components/empty-state";

export default function NotFound() {
  return (
    <div className="card">
      <EmptyState title="Nothing here">
        <p>This repository does not exist, or you are not a member of its workspace.</p>
        <Link href="/" className="button">
          Back to your repositories
        </Link>
      </EmptyState>
    </div>
  );
}
