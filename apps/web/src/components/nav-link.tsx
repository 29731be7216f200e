"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ReactNode } from "react";

/** A navigation link that marks itself as the current page (also for the pages below it, e.g. a repo's audit). */
export function NavLink({
  href,
  children,
  title,
  exact = false,
}: {
  href: string;
  children: ReactNode;
  /** The full text when the link is truncated. */
  title?: string;
  exact?: boolean;
}) {
  const pathname = usePathname();
  const current = exact ? pathname === href : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} className="nav-link truncate" title={title} aria-current={current ? "page" : undefined}>
      {children}
    </Link>
  );
}
