import { useEffect, useState, type FormEvent } from "react";
import { TextField } from "../../../components/text-field";
import { ApiError, errorMessage, fieldErrors } from "../../../lib/api-client";
import { formatDate } from "../../../lib/format";
import { passwordProblem, PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from "../../../lib/passwords";
import type { InviteInfo, User } from "../../../types/api";
import { acceptInvite, getInvite } from "../api/auth";
import { AuthCard } from "./auth-card";

interface InviteFormProps {
  token: string;
  /** Who is signed in in this browser now, if anyone: accepting switches to the new account. */
  currentUser: User | null;
  onAccepted: (user: User) => void;
  onLeave: () => void;
}

type Lookup = { state: "loading" } | { state: "ready"; invite: InviteInfo } | { state: "gone"; message: string };

/** `#/invite/{token}`: the invited person chooses a name and password and is signed in. */
export function InviteForm({ token, currentUser, onAccepted, onLeave }: InviteFormProps) {
  const [lookup, setLookup] = useState<Lookup>({ state: "loading" });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let alive = true;
    setLookup({ state: "loading" });
    getInvite(token)
      .then((invite) => alive && setLookup({ state: "ready", invite }))
      .catch((err) => {
        if (!alive) return;
        const gone = err instanceof ApiError && err.status === 404;
        setLookup({ state: "gone", message: gone ? "This invite link is not valid: it was already used, replaced by a newer link, or it expired. Ask your administrator for a new one." : errorMessage(err) });
      });
    return () => {
      alive = false;
    };
  }, [token]);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const problem = passwordProblem(password, confirm);
    setErrors(problem ? { [problem.includes("match") ? "confirm" : "password"]: problem } : {});
    setError(null);
    if (problem) return;
    setBusy(true);
    try {
      const { user } = await acceptInvite(token, password, name.trim());
      onAccepted(user);
    } catch (err) {
      const byField = err instanceof ApiError ? fieldErrors(err) : {};
      setErrors(byField);
      if (!Object.keys(byField).length)
        setError(err instanceof ApiError && err.status === 404 ? "This invite link is no longer valid. Ask your administrator for a new one." : errorMessage(err));
      setBusy(false);
    }
  }

  if (lookup.state !== "ready") {
    return (
      <AuthCard title={lookup.state === "loading" ? "Opening your invitation…" : "Invitation not found"} testId="invite-form">
        {lookup.state === "gone" && (
          <>
            <p className="field-error" role="alert" data-testid="invite-error">{lookup.message}</p>
            <button type="button" className="button button--secondary button--block" onClick={onLeave}>{currentUser ? "Back to projects" : "Go to sign in"}</button>
          </>
        )}
      </AuthCard>
    );
  }

  const { invite } = lookup;
  return (
    <AuthCard
      title="Join Cutroom"
      testId="invite-form"
      onSubmit={(e) => void handleSubmit(e)}
      lead={
        <>
          <p className="muted">You were invited to Cutroom as {invite.role === "admin" ? "an administrator" : "a member"}:</p>
          <p className="sign-in__email" data-testid="invite-email">{invite.email}</p>
          <p className="muted">Choose a password to finish. This link works until {formatDate(invite.expiresAt)}.</p>
        </>
      }
    >
      {currentUser && (
        <p className="alert alert--warning sign-in__switch">
          You are signed in as {currentUser.email}. Accepting signs you in as {invite.email} instead.
        </p>
      )}
      {/* Lets a password manager file the new password under the invited address. */}
      <input type="email" autoComplete="username" value={invite.email} readOnly hidden />
      <TextField id="invite-name" label="Name" autoComplete="name" value={name} onChange={setName} error={errors.name} hint="Optional; shown to administrators and in the header." testId="invite-name" />
      <TextField id="invite-password" label="Password" type="password" autoComplete="new-password" required autoFocus value={password} onChange={setPassword} error={errors.password} hint={`${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} characters.`} testId="invite-password" />
      <TextField id="invite-confirm" label="Confirm password" type="password" autoComplete="new-password" required value={confirm} onChange={setConfirm} error={errors.confirm} testId="invite-confirm" />
      {error && <p className="field-error" role="alert" data-testid="invite-error">{error}</p>}
      <button type="submit" className="button button--primary button--block" disabled={busy} data-testid="invite-submit">{busy ? "Joining…" : "Join"}</button>
    </AuthCard>
  );
}
