"use client";
import { useEffect, useState } from "react";

/** How often relative times ("expires in 59 minutes") are worked out again: well within their one-minute step. */
const tickMs = 15_000;

/**
 * The current time for relative times and expiry marks, kept live. It starts at `since` (when the list was
 * fetched, so that the server's render and the browser's first one agree) and follows the clock once mounted.
 */
export function useNow(since: number): number {
  const [now, setNow] = useState(since);
  useEffect(() => {
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), tickMs);
    return () => clearInterval(timer);
  }, []);
  return Math.max(now, since);
}
