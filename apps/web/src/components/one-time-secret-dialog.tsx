"use client";
import type { ReactNode } from "react";
import { CopyButton } from "./copy-button";
import { Dialog } from "./dialog";

export interface RevealedValue {
  label: string;
  value: string;
}

/** Shows a value the server returns exactly once (a key's secret, an API token), with copy buttons. */
export function OneTimeSecretDialog({
  title,
  values,
  onClose,
  children,
}: {
  title: string;
  values: RevealedValue[] | null;
  onClose: () => void;
  children?: ReactNode;
}) {
  return (
    <Dialog open={values !== null} title={title} onClose={onClose}>
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
              <input id={id} className="input" readOnly value={v.value} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={v.value} label={v.label} />
            </div>
          </div>
        );
      })}
      {children}
      <div className="button-row">
        <button type="button" className="button button-primary" onClick={onClose}>
          I have copied it
        </button>
      </div>
    </Dialog>
  );
}
