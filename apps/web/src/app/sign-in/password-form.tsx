"use client";
import { useActionState, useEffect, useRef } from "react";
import { type PasswordSignInState, signInWithPassword } from "./actions";

export function PasswordForm({ callbackUrl }: { callbackUrl: string }) {
  const [state, action, pending] = useActionState<PasswordSignInState, FormData>(signInWithPassword, {
    error: null,
    email: "",
  });
  const password = useRef<HTMLInputElement>(null);
  // React resets the form after its action, which leaves focus on <body>: put it back where the person retries.
  useEffect(() => {
    if (state.error) password.current?.focus();
  }, [state]);
  return (
    <form action={action} aria-describedby={state.error ? "sign-in-error" : undefined}>
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <div className="field">
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          className="input"
          autoComplete="username"
          required
          defaultValue={state.email}
        />
      </div>
      <div className="field">
        <label htmlFor="password">Password</label>
        <input
          ref={password}
          id="password"
          name="password"
          type="password"
          className="input"
          autoComplete="current-password"
          required
          aria-invalid={state.error ? true : undefined}
          aria-describedby={state.error ? "sign-in-error" : undefined}
        />
      </div>
      {state.error ? (
        <p id="sign-in-error" role="alert" className="error-text">
          {state.error}
        </p>
      ) : null}
      <div className="stack" style={{ marginTop: 16 }}>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </button>
      </div>
    </form>
  );
}
