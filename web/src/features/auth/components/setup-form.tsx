import { useState, type FormEvent } from "react";
import { TextField } from "../../../components/text-field";
import { ApiError, errorMessage, fieldErrors } from "../../../lib/api-client";
import { passwordProblem, PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from "../../../lib/passwords";
import type { User } from "../../../types/api";
import { setUp } from "../api/auth";
import { AuthCard } from "./auth-card";

interface SetupFormProps {
  onSignedIn: (user: User) => void;
  /** Someone else finished setup first (409): sign in instead. */
  onAlreadySetUp: () => void;
}

/** First run: no account exists yet, so the first one (an admin) is made here. */
export function SetupForm({ onSignedIn, onAlreadySetUp }: SetupFormProps) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [alreadySetUp, setAlreadySetUp] = useState(false);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) problems.email = "Enter an email address.";
    const problem = passwordProblem(password, confirm);
    if (problem) problems[problem.includes("match") ? "confirm" : "password"] = problem;
    setErrors(problems);
    setError(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      const { user } = await setUp(email.trim(), password, name.trim());
      onSignedIn(user);
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setAlreadySetUp(true);
      const byField = err instanceof ApiError ? fieldErrors(err) : {};
      setErrors(byField);
      // The field says what is wrong; repeat the summary only when no field does.
      if (!Object.keys(byField).length) setError(errorMessage(err));
      setBusy(false);
    }
  }

  return (
    <AuthCard
      title="Create the first account"
      testId="setup-form"
      onSubmit={(e) => void handleSubmit(e)}
      lead={<p className="muted">Welcome to Cutroom. This account administers the server: it can invite other people and manage their accounts.</p>}
    >
      <TextField id="setup-email" label="Email" type="email" autoComplete="username" required autoFocus value={email} onChange={setEmail} error={errors.email} testId="setup-email" />
      <TextField id="setup-name" label="Name" autoComplete="name" value={name} onChange={setName} error={errors.name} hint="Optional; shown in the header." testId="setup-name" />
      <TextField id="setup-password" label="Password" type="password" autoComplete="new-password" required value={password} onChange={setPassword} error={errors.password} hint={`${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} characters.`} testId="setup-password" />
      <TextField id="setup-confirm" label="Confirm password" type="password" autoComplete="new-password" required value={confirm} onChange={setConfirm} error={errors.confirm} testId="setup-confirm" />
      {error && (
        <p className="field-error" role="alert" data-testid="setup-error">
          {error}
          {alreadySetUp && <> <button type="button" className="link-button" onClick={onAlreadySetUp}>Sign in</button></>}
        </p>
      )}
      <button type="submit" className="button button--primary button--block" disabled={busy} data-testid="setup-submit">{busy ? "Creating…" : "Create account"}</button>
    </AuthCard>
  );
}
