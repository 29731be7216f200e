"use client";
import { useCallback, useEffect, useRef, useState } from "react";

/** Long enough to read a sentence twice; it can be dismissed sooner. */
const visibleMs = 8_000;

interface Announcement {
  message: string;
  /** Counts announcements, so that the same words said again show (and are read) again. */
  id: number;
}

/**
 * What just happened in a panel, for `Announcer`: `announce` after each action completes. An action that ends in
 * a dialog is `queue`d when the dialog is asked to close and said on `flush`, once it has closed: while a modal
 * dialog is open the rest of the page, the announcer included, is inert.
 */
export function useAnnouncer() {
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const queued = useRef<string | null>(null);
  const announce = useCallback(
    (message: string) => setAnnouncement((last) => ({ message, id: (last?.id ?? 0) + 1 })),
    [],
  );
  const queue = useCallback((message: string) => {
    queued.current = message;
  }, []);
  const flush = useCallback(() => {
    if (queued.current) announce(queued.current);
    queued.current = null;
  }, [announce]);
  return { announcement, announce, queue, flush, dismiss: useCallback(() => setAnnouncement(null), []) };
}

/**
 * One announcement for every action: a toast people see and a live region screen readers read, the same element.
 * The region is always in the page (a live region added together with its text is often not read).
 */
export function Announcer({ announcement, dismiss }: { announcement: Announcement | null; dismiss: () => void }) {
  useEffect(() => {
    if (!announcement) return;
    const timer = setTimeout(dismiss, visibleMs);
    return () => clearTimeout(timer);
  }, [announcement, dismiss]);
  return (
    <div className="toast-region" role="status">
      {announcement ? (
        <div className="toast" key={announcement.id}>
          <span>{announcement.message}</span>
          <button type="button" className="button button-link button-small" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}
    </div>
  );
}
