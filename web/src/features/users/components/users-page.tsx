import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { CopyField } from "../../../components/copy-field";
import { Panel } from "../../../components/panel";
import { errorMessage } from "../../../lib/api-client";
import { formatDate, formatDateTime, formatExpiry, formatLastUsed } from "../../../lib/format";
import { notify } from "../../../stores/notifications-store";
import type { Invitation, User, UserRole } from "../../../types/api";
import { deleteUser, inviteUser, listUsers, reissueInvite, updateUser } from "../api/users";
import { useLoadedList } from "../../../lib/use-loaded-list";

interface UsersPageProps {
  /** The signed-in admin: their own row cannot be disabled, demoted or deleted here. */
  currentUser: User;
}

/** `#/users` (admins): invite people, re-issue links, disable, change roles, delete. */
export function UsersPage({ currentUser }: UsersPageProps) {
  const { items: users, setItems: setUsers, status, loadError, load } = useLoadedList(listUsers);
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);

  const replace = (user: User) => setUsers((list) => list.map((u) => (u.id === user.id ? user : u)));

  /** Runs one row action; the server's refusal (409 LAST_ADMIN, SELF…) is shown above the table. */
  async function act(user: User, action: () => Promise<void>) {
    setBusyId(user.id);
    setActionError(null);
    try {
      await action();
    } catch (err) {
      setActionError(`${user.email}: ${errorMessage(err)}`);
    } finally {
      setBusyId(null);
    }
  }

  const showInvitation = (next: Invitation) => {
    setInvitation(next);
    setUsers((list) => [next.user, ...list.filter((u) => u.id !== next.user.id)]);
  };

  return (
    <div className="page page--wide" data-testid="users-page">
      <div className="page__head">
        <h1 className="page__title">Users</h1>
        <p className="muted">Everyone who can sign in to this server. Each person sees only their own projects.</p>
      </div>

      <InviteForm onInvited={showInvitation} />

      {invitation && (
        <section className="secret-box" aria-labelledby="invite-link-title" data-testid="invite-created">
          <div className="secret-box__head">
            <h2 id="invite-link-title" className="secret-box__title">Invite link for {invitation.user.email}</h2>
            <button type="button" className="button button--ghost button--small" onClick={() => setInvitation(null)}>Done</button>
          </div>
          <p className="secret-box__warning" role="status">
            Send this link to them yourself: Cutroom sends no email. It works once, until {formatDate(invitation.expiresAt)} ({formatExpiry(invitation.expiresAt)}), and it is
            not shown again; you can issue a new one from the list.
          </p>
          <CopyField label="Invite link" value={invitation.inviteUrl} testId="invite-link" />
        </section>
      )}

      <Panel title="People" subtitle={status === "ready" ? `${users.length} ${users.length === 1 ? "account" : "accounts"}` : undefined}>
        {status === "error" && (
          <div className="alert alert--error" role="alert">
            <p className="alert__title">Could not load the users: {loadError}</p>
            <button type="button" className="button button--ghost button--small" onClick={() => void load()}>Retry</button>
          </div>
        )}
        {actionError && (
          <div className="alert alert--error" role="alert" data-testid="user-action-error">
            <p className="alert__title">{actionError}</p>
            <button type="button" className="button button--ghost button--small" onClick={() => setActionError(null)}>Dismiss</button>
          </div>
        )}
        {status === "loading" && <p className="muted">Loading…</p>}
        {users.length > 0 && (
          <div className="table-wrap">
            <table className="table" aria-label="Users">
              <thead>
                <tr>
                  <th scope="col">Email</th>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => {
                  const self = user.id === currentUser.id;
                  const busy = busyId === user.id;
                  return (
                    <tr key={user.id} data-testid="user-row" data-user-id={user.id} data-email={user.email} data-status={user.status}>
                      <th scope="row" className="table__name">
                        {user.email}
                        {self && <span className="badge badge--you">you</span>}
                      </th>
                      <td className={user.name ? undefined : "muted"}>{user.name || "—"}</td>
                      <td>
                        <select
                          className="select select--small"
                          value={user.role}
                          disabled={self || busy}
                          title={self ? "You cannot change your own role." : undefined}
                          aria-label={`Role of ${user.email}`}
                          data-testid="user-role"
                          onChange={(e) => {
                            const role = e.target.value as UserRole;
                            void act(user, async () => {
                              replace(await updateUser(user.id, { role }));
                              notify(`${user.email} is now ${role === "admin" ? "an administrator" : "a member"}.`, "success");
                            });
                          }}
                        >
                          <option value="member">Member</option>
                          <option value="admin">Admin</option>
                        </select>
                      </td>
                      <td><span className={`badge badge--user-${user.status}`} data-testid="user-status">{user.status}</span></td>
                      <td className={user.lastSignInAt ? undefined : "muted"} title={user.lastSignInAt ? formatDateTime(user.lastSignInAt) : `Created ${formatDate(user.createdAt)}`}>{formatLastUsed(user.lastSignInAt)}</td>
                      <td className="table__actions">
                        {user.status === "invited" && (
                          <button
                            type="button"
                            className="button button--ghost button--small"
                            disabled={busy}
                            data-testid="user-reinvite"
                            onClick={() => void act(user, async () => showInvitation(await reissueInvite(user.id)))}
                          >
                            New invite link
                          </button>
                        )}
                        {user.status !== "invited" && (
                          <button
                            type="button"
                            className="button button--ghost button--small"
                            disabled={self || busy}
                            title={self ? "You cannot disable yourself." : undefined}
                            data-testid="user-disable"
                            onClick={() =>
                              void act(user, async () => {
                                const disabled = user.status !== "disabled";
                                replace(await updateUser(user.id, { disabled }));
                                notify(disabled ? `${user.email} is disabled and signed out.` : `${user.email} can sign in again.`, "success");
                              })
                            }
                          >
                            {user.status === "disabled" ? "Enable" : "Disable"}
                          </button>
                        )}
                        <button
                          type="button"
                          className="button button--ghost button--small button--danger-text"
                          disabled={self || busy}
                          title={self ? "You cannot delete yourself." : undefined}
                          aria-label={`Delete ${user.email}`}
                          data-testid="user-delete"
                          onClick={() => setDeleting(user)}
                        >
                          Delete
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Panel>

      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.email}?`}
          body={
            <>
              <p>Their account is removed, and with it <strong>all their projects, media files and renders</strong>. This cannot be undone.</p>
              <p>To keep their work, disable the account instead.</p>
            </>
          }
          confirmLabel="Delete user and files"
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const target = deleting;
            setDeleting(null);
            void act(target, async () => {
              await deleteUser(target.id);
              setUsers((list) => list.filter((u) => u.id !== target.id));
              if (invitation?.user.id === target.id) setInvitation(null);
              notify(`Deleted ${target.email}.`, "success");
            });
          }}
        />
      )}
    </div>
  );
}

function InviteForm({ onInvited }: { onInvited: (invitation: Invitation) => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<UserRole>("member");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim())) {
      setError("Enter the email address of the person to invite.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onInvited(await inviteUser(email.trim(), role));
      setEmail("");
      setRole("member");
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title="Invite someone" subtitle="They choose their own name and password from the link.">
      <form className="inline-form" onSubmit={(e) => void handleSubmit(e)} noValidate>
        <div className="field inline-form__grow">
          <label htmlFor="user-invite-email" className="field-label">Email</label>
          <input id="user-invite-email" className="input" type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="name@example.com" data-testid="user-invite-email" />
        </div>
        <div className="field">
          <label htmlFor="user-invite-role" className="field-label">Role</label>
          <select id="user-invite-role" className="select" value={role} onChange={(e) => setRole(e.target.value as UserRole)} data-testid="user-invite-role">
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <div className="field">
          <span className="field-label" aria-hidden="true">&nbsp;</span>
          <button type="submit" className="button button--primary" disabled={busy} data-testid="user-invite-submit">{busy ? "Inviting…" : "Create invite link"}</button>
        </div>
      </form>
      {error && <p className="field-error" role="alert" data-testid="user-invite-error">{error}</p>}
    </Panel>
  );
}
