import { useState, type FormEvent } from "react";
import { Panel } from "../../../components/panel";
import { TextField } from "../../../components/text-field";
import { ApiError, errorMessage, fieldErrors } from "../../../lib/api-client";
import { formatDate } from "../../../lib/format";
import { passwordProblem, PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from "../../../lib/passwords";
import { notify } from "../../../stores/notifications-store";
import type { User } from "../../../types/api";
import { changePassword, updateProfile } from "../api/account";

interface AccountPageProps {
  user: User;
  onUserChanged: (user: User) => void;
}

/** `#/account`: the signed-in user's name and password. */
export function AccountPage({ user, onUserChanged }: AccountPageProps) {
  return (
    <div className="page" data-testid="account-page">
      <div className="page__head">
        <h1 className="page__title">Account</h1>
        <p className="muted">
          {user.email} · {user.role === "admin" ? "Administrator" : "Member"} · since {formatDate(user.createdAt)}
        </p>
      </div>
      <ProfileForm user={user} onUserChanged={onUserChanged} />
      <PasswordForm email={user.email} />
    </div>
  );
}

function ProfileForm({ user, onUserChanged }: AccountPageProps) {
  const [name, setName] = useState(user.name);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await updateProfile(name.trim());
      onUserChanged(updated);
      setName(updated.name);
      notify("Name saved.", "success");
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title="Profile" subtitle="Your name is shown in the header and to administrators.">
      <form className="form-grid" onSubmit={(e) => void handleSubmit(e)} data-testid="profile-form">
        <TextField id="account-email" label="Email" type="email" value={user.email} onChange={() => undefined} readOnly hint="Ask an administrator to change it." />
        <TextField id="account-name" label="Name" autoComplete="name" value={name} onChange={setName} maxLength={200} error={error} testId="account-name" />
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy || name.trim() === user.name} data-testid="account-name-save">{busy ? "Saving…" : "Save name"}</button>
        </div>
      </form>
    </Panel>
  );
}

function PasswordForm({ email }: { email: string }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!current) problems.currentPassword = "Enter your current password.";
    const problem = passwordProblem(next, confirm);
    if (problem) problems[problem.includes("match") ? "confirm" : "newPassword"] = problem;
    setErrors(problems);
    setError(null);
    if (Object.keys(problems).length) return;
    setBusy(true);
    try {
      await changePassword(current, next);
      setCurrent("");
      setNext("");
      setConfirm("");
      notify("Password changed. Your other sessions were signed out.", "success");
    } catch (err) {
      const byField = err instanceof ApiError ? fieldErrors(err) : {};
      setErrors(byField);
      // The field says what is wrong; repeat the summary only when no field does.
      if (!Object.keys(byField).length) setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title="Password" subtitle="Changing it signs you out everywhere else.">
      <form className="form-grid" onSubmit={(e) => void handleSubmit(e)} noValidate data-testid="password-form">
        {/* Lets a password manager match the new password to this account. */}
        <input type="email" autoComplete="username" hidden readOnly value={email} />
        <TextField id="account-current-password" label="Current password" type="password" autoComplete="current-password" value={current} onChange={setCurrent} error={errors.currentPassword} testId="account-current-password" />
        <TextField id="account-new-password" label="New password" type="password" autoComplete="new-password" value={next} onChange={setNext} error={errors.newPassword} hint={`${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} characters.`} testId="account-new-password" />
        <TextField id="account-confirm-password" label="Confirm new password" type="password" autoComplete="new-password" value={confirm} onChange={setConfirm} error={errors.confirm} testId="account-confirm-password" />
        {error && <p className="field-error" role="alert">{error}</p>}
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={busy} data-testid="account-password-save">{busy ? "Changing…" : "Change password"}</button>
        </div>
      </form>
    </Panel>
  );
}
