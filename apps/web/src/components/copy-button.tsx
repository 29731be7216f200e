"use client";
import { useEffect, useState } from "react";

/** Copies `value`; where the Clipboard API is unavailable (plain http on a LAN address) it says to copy by hand. */
export function CopyButton({ value, label, onCopied }: { value: string; label: string; onCopied?: () => void }) {
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
      onCopied?.();
    } catch {
      setStatus("failed");
    }
  };
  return (
    <>
      {/* The label in hidden text, not aria-label: the name must contain the visible "Copied" too (axe). */}
      <button type="button" className="button button-small" onClick={copy}>
        {status === "copied" ? "Copied" : "Copy"}
        <span className="visually-hidden"> {label}</span>
      </button>
      <span className="visually-hidden" aria-live="polite">
        {status === "copied" ? `${label} copied` : status === "failed" ? `Select the ${label} and copy it by hand` : ""}
      </span>
    </>
  );
}
