"use client";
import { useEffect, useState } from "react";

/** Copies `value`; where the Clipboard API is unavailable (plain http on a LAN address) it says to copy by hand. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [status, setStatus] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (status === "idle") return;
    const timer = setTimeout(() => setStatus("idle"), 2500);
    return () => clearTimeout(timer);
  }, [status]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus("copied");
    } catch {
      setStatus("failed");
    }
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={copy} aria-label={`Copy ${label}`}>
        {status === "copied" ? "Copied" : "Copy"}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {status === "copied" ? `${label} copied` : status === "failed" ? `Select the ${label} and copy it by hand` : ""}
      </span>
    </>
  );
}
