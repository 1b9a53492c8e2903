import { useState, type FormEvent } from "react";
import { TextField } from "../../../components/text-field";
import { errorMessage } from "../../../lib/api-client";
import type { User } from "../../../types/api";
import { login } from "../api/auth";
import { AuthCard } from "./auth-card";

interface SignInFormProps {
  onSignedIn: (user: User) => void;
  /** Why the form is shown (signed out, session ended), if worth saying. */
  notice?: string | null;
}

/** Shown when the API answers 401. */
export function SignInForm({ onSignedIn, notice }: SignInFormProps) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { user } = await login(email.trim(), password);
      onSignedIn(user);
    } catch (err) {
      setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <AuthCard title="Sign in" testId="sign-in-form" onSubmit={(e) => void handleSubmit(e)} lead={notice ? <p className="sign-in__notice" role="status">{notice}</p> : undefined}>
      <TextField id="sign-in-email" label="Email" type="email" autoComplete="username" required autoFocus value={email} onChange={setEmail} testId="sign-in-email" />
      <TextField id="sign-in-password" label="Password" type="password" autoComplete="current-password" required value={password} onChange={setPassword} testId="sign-in-password" />
      {error && <p className="field-error" role="alert" data-testid="sign-in-error">{error}</p>}
      <button type="submit" className="button button--primary button--block" disabled={busy} data-testid="sign-in-submit">{busy ? "Signing in…" : "Sign in"}</button>
    </AuthCard>
  );
}
