import { useState, type FormEvent } from "react";
import { LogoIcon } from "../../../components/icons";
import { errorMessage } from "../../../lib/api-client";
import { login } from "../api/auth";

interface SignInFormProps {
  onSignedIn: () => void;
}

/** Shown when the API answers 401. */
export function SignInForm({ onSignedIn }: SignInFormProps) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email, password);
      onSignedIn();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="sign-in">
      <form className="sign-in__card" data-testid="sign-in-form" onSubmit={handleSubmit} aria-labelledby="sign-in-title">
        <div className="sign-in__brand"><LogoIcon /><span>Cutroom</span></div>
        <h1 id="sign-in-title" className="sign-in__title">Sign in</h1>
        <div className="field">
          <label htmlFor="sign-in-email" className="field-label">Email</label>
          <input id="sign-in-email" className="input" type="email" autoComplete="username" required value={email} data-testid="sign-in-email" onChange={(e) => setEmail(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor="sign-in-password" className="field-label">Password</label>
          <input id="sign-in-password" className="input" type="password" autoComplete="current-password" required value={password} data-testid="sign-in-password" onChange={(e) => setPassword(e.target.value)} />
        </div>
        {error && <p className="field-error" role="alert">{error}</p>}
        <button type="submit" className="button button--primary button--block" disabled={busy} data-testid="sign-in-submit">{busy ? "Signing in…" : "Sign in"}</button>
      </form>
    </div>
  );
}
