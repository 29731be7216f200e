"use client";
import type { ReactNode } from "react";
import { Dialog } from "./dialog";
import { ErrorText } from "./error-text";

/** A destructive action's last question: what will happen, Cancel, and a danger button that shows its progress. */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  onConfirm,
  onClose,
  onClosed,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: { message: string } | null;
  onConfirm: () => void;
  onClose: () => void;
  onClosed?: () => void;
}) {
  return (
    <Dialog open={open} title={title} onClose={onClose} onClosed={onClosed}>
      {children}
      <ErrorText error={error} />
      <div className="button-row">
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="button button-danger" disabled={pending} onClick={onConfirm}>
          {pending ? pendingLabel : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
