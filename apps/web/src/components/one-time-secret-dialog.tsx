"use client";
import { type ReactNode, useEffect, useRef, useState } from "react";
import { CopyButton } from "./copy-button";
import { Dialog } from "./dialog";

export interface RevealedValue {
  label: string;
  value: string;
  /** Shown again in a list (a public key): closing without copying it loses nothing. */
  listed?: boolean;
}

/**
 * Shows a value the server returns exactly once (a key's secret, an API token), with copy buttons. Only "I have
 * copied it" closes it at once; Escape first asks, because a secret closed by accident is gone for good, unless every
 * value that is not listed elsewhere has been copied.
 */
export function OneTimeSecretDialog({
  title,
  values,
  onClose,
  onClosed,
  children,
}: {
  title: string;
  values: RevealedValue[] | null;
  onClose: () => void;
  onClosed?: () => void;
  children?: ReactNode;
}) {
  const [asking, setAsking] = useState(false);
  const [copied, setCopied] = useState<ReadonlySet<string>>(new Set());
  const stayButton = useRef<HTMLButtonElement>(null);
  const copiedButton = useRef<HTMLButtonElement>(null);
  const open = values !== null;
  useEffect(() => {
    if (!open) {
      setAsking(false);
      setCopied(new Set());
    }
  }, [open]);
  useEffect(() => {
    if (asking) stayButton.current?.focus();
  }, [asking]);
  const close = () => {
    setAsking(false);
    onClose();
  };
  return (
    <Dialog
      open={open}
      title={title}
      onClose={close}
      onDismiss={() => (values?.every((v) => v.listed || copied.has(v.label)) ? close() : setAsking(true))}
      onClosed={onClosed}
    >
      <p className="notice notice-warning">
        <strong>You will not see this again.</strong> Copy it now and keep it in your secret manager: we store only a
        form of it that cannot be shown back to you.
      </p>
      {values?.map((v) => {
        const id = `reveal-${v.label.replace(/\W+/g, "-").toLowerCase()}`;
        return (
          <div className="field" key={v.label}>
            <label htmlFor={id}>{v.label}</label>
            <div className="secret-field">
              <input
                id={id}
                className="input"
                readOnly
                value={v.value}
                onFocus={(e) => {
                  const input = e.currentTarget;
                  input.select();
                  // Chromium scrolls a narrow field to the selection's end once laid out: bring the prefix back.
                  requestAnimationFrame(() => {
                    input.scrollLeft = 0;
                  });
                }}
              />
              <CopyButton
                value={v.value}
                label={v.label}
                onCopied={() => setCopied((before) => new Set(before).add(v.label))}
              />
            </div>
          </div>
        );
      })}
      {children}
      {asking ? (
        <div className="notice notice-danger" role="alertdialog" aria-labelledby="close-secret-question">
          <p id="close-secret-question">
            <strong>Close without copying?</strong> The secret cannot be shown again; you would have to create a new
            one.
          </p>
          <div className="button-row">
            <button
              ref={stayButton}
              type="button"
              className="button"
              onClick={() => {
                setAsking(false);
                copiedButton.current?.focus();
              }}
            >
              Keep it open
            </button>
            <button type="button" className="button button-danger" onClick={close}>
              Close, I don't need it
            </button>
          </div>
        </div>
      ) : null}
      <div className="button-row">
        <button ref={copiedButton} type="button" className="button button-primary" onClick={close}>
          I have copied it
        </button>
      </div>
    </Dialog>
  );
}
