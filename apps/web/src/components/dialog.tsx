"use client";
import { type ReactNode, useEffect, useId, useRef } from "react";

/**
 * A modal on the native <dialog>: the browser traps focus, Escape closes it, and focus returns to what opened it.
 * With `onDismiss`, Escape does not close it: the dialog stays open and `onDismiss` decides (e.g. asks first).
 */
export function Dialog({
  open,
  title,
  onClose,
  onDismiss,
  onClosed,
  children,
}: {
  open: boolean;
  title: string;
  onClose: () => void;
  onDismiss?: () => void;
  /** After the browser has closed the dialog and returned focus: the place to move focus elsewhere. */
  onClosed?: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const openRef = useRef(open);
  openRef.current = open;
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        if (!onDismiss) return;
        event.preventDefault();
        onDismiss();
      }}
      onClose={() => {
        // Chrome lets a second Escape in a row close a dialog even when its cancel event is refused: reopen it.
        if (onDismiss && openRef.current) {
          ref.current?.showModal();
          onDismiss();
          return;
        }
        onClose();
        onClosed?.();
      }}
    >
      {open ? (
        <div className="dialog-body">
          <h2 id={titleId}>{title}</h2>
          {children}
        </div>
      ) : null}
    </dialog>
  );
}
