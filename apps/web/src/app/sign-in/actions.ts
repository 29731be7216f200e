"use server";
import { externalProvidersFromEnv, SignInRateLimited } from "@repokeys/auth/web";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { signIn } from "@/auth";
import { safeReturnPath } from "@/server/safe-return-path";
import { tooManyAttempts, wrongCredentials } from "./sign-in-messages";

export interface PasswordSignInState {
  error: string | null;
  email: string;
}

export async function signInWithPassword(_previous: PasswordSignInState, form: FormData): Promise<PasswordSignInState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      redirectTo: safeReturnPath(form.get("callbackUrl")),
    });
  } catch (err) {
    if (err instanceof SignInRateLimited) return { error: tooManyAttempts(err.retryAfterSeconds), email };
    if (err instanceof AuthError) return { error: wrongCredentials, email };
    throw err; // the redirect that completes a successful sign-in
  }
  return { error: null, email };
}

export async function signInWithProvider(form: FormData): Promise<void> {
  const provider = String(form.get("provider"));
  if (!externalProvidersFromEnv().some((p) => p.id === provider)) redirect("/sign-in");
  await signIn(provider, { redirectTo: safeReturnPath(form.get("callbackUrl")) });
}
