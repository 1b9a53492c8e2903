import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { CopyField } from "../../../components/copy-field";
import { EmptyState } from "../../../components/empty-state";
import { KeyIcon } from "../../../components/icons";
import { Panel } from "../../../components/panel";
import { errorMessage } from "../../../lib/api-client";
import { formatDate, formatDateTime, formatExpiry, formatLastUsed } from "../../../lib/format";
import { notify } from "../../../stores/notifications-store";
import type { ApiToken, CreatedApiToken, TokenScope } from "../../../types/api";
import { createToken, listTokens, revokeToken } from "../api/tokens";
import { useLoadedList } from "../../../lib/use-loaded-list";

const expiryChoices: { label: string; days: number | null }[] = [
  { label: "Never", days: null },
  { label: "7 days", days: 7 },
  { label: "30 days", days: 30 },
  { label: "90 days", days: 90 },
  { label: "1 year", days: 365 },
];

/** `#/tokens`: API tokens for scripts and CI (`Authorization: Bearer cr_...`). */
export function TokensPage() {
  const { items: tokens, setItems: setTokens, status, loadError, load } = useLoadedList(listTokens);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  async function handleRevoke(token: ApiToken) {
    setRevoking(null);
    try {
      await revokeToken(token.id);
      setTokens((list) => list.filter((t) => t.id !== token.id));
      if (created?.id === token.id) setCreated(null);
      notify(`Revoked “${token.name}”.`, "success");
    } catch (err) {
      notify(`Could not revoke “${token.name}”: ${errorMessage(err)}`, "error");
    }
  }

  return (
    <div className="page" data-testid="tokens-page">
      <div className="page__head">
        <h1 className="page__title">API tokens</h1>
        <p className="muted">
          Tokens let scripts use the API as you: send <code>Authorization: Bearer &lt;token&gt;</code>. A read token can only look; a write token can change
          and render your projects. Neither can manage tokens, passwords or users.
        </p>
      </div>

      <CreateTokenForm
        onCreated={(token) => {
          setCreated(token);
          const { token: _secret, ...listed } = token;
          setTokens((list) => [listed, ...list.filter((t) => t.id !== token.id)]);
        }}
      />

      {created && (
        <section className="secret-box" aria-labelledby="secret-title" data-testid="token-created">
          <div className="secret-box__head">
            <h2 id="secret-title" className="secret-box__title">Token “{created.name}” created</h2>
            <button type="button" className="button button--ghost button--small" onClick={() => setCreated(null)} data-testid="token-secret-dismiss">Done</button>
          </div>
          <p className="secret-box__warning" role="status">Copy it now: it will not be shown again. If you lose it, revoke it and create another.</p>
          <CopyField label="Token" value={created.token} testId="token-secret" />
        </section>
      )}

      <Panel title="Your tokens" subtitle={status === "ready" ? `${tokens.length} ${tokens.length === 1 ? "token" : "tokens"}` : undefined}>
        {status === "error" && (
          <div className="alert alert--error" role="alert">
            <p className="alert__title">Could not load your tokens: {loadError}</p>
            <button type="button" className="button button--ghost button--small" onClick={() => void load()}>Retry</button>
          </div>
        )}
        {status === "loading" && <p className="muted">Loading…</p>}
        {status === "ready" && tokens.length === 0 && (
          <EmptyState icon={<KeyIcon />} title="No API tokens yet">Create one above to call the API from a script.</EmptyState>
        )}
        {tokens.length > 0 && (
          <div className="table-wrap">
            <table className="table" aria-label="API tokens">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Scope</th>
                  <th scope="col">Created</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col"><span className="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((token) => (
                  <TokenRow key={token.id} token={token} onRevoke={() => setRevoking(token)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>

      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          body="Scripts using this token stop working at once. This cannot be undone."
          confirmLabel="Revoke token"
          onCancel={() => setRevoking(null)}
          onConfirm={() => void handleRevoke(revoking)}
        />
      )}
    </div>
  );
}

function TokenRow({ token, onRevoke }: { token: ApiToken; onRevoke: () => void }) {
  const expiry = formatExpiry(token.expiresAt);
  return (
    <tr data-testid="token-row" data-token-id={token.id}>
      <th scope="row" className="table__name">{token.name}</th>
      <td><span className={`badge badge--scope-${token.scope}`}>{token.scope === "read" ? "read" : "write"}</span></td>
      <td title={formatDateTime(token.createdAt)}>{formatDate(token.createdAt)}</td>
      <td title={token.expiresAt ? formatDateTime(token.expiresAt) : undefined} className={expiry === "expired" ? "text-danger" : undefined}>{expiry}</td>
      <td title={token.lastUsedAt ? formatDateTime(token.lastUsedAt) : undefined} className={token.lastUsedAt ? undefined : "muted"} data-testid="token-last-used">{formatLastUsed(token.lastUsedAt)}</td>
      <td className="table__actions">
        <button type="button" className="button button--ghost button--small button--danger-text" onClick={onRevoke} aria-label={`Revoke ${token.name}`} data-testid="token-revoke">Revoke</button>
      </td>
    </tr>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedApiToken) => void }) {
  const [name, setName] = useState("");
  const [scope, setScope] = useState<TokenScope>("read");
  const [expiry, setExpiry] = useState("30");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setError("Name the token after what will use it (e.g. “CI upload”).");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const token = await createToken(name.trim(), scope, expiry === "never" ? null : Number(expiry));
      setName("");
      onCreated(token);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel title="Create a token">
      <form className="inline-form" onSubmit={(e) => void handleSubmit(e)} noValidate>
        <div className="field inline-form__grow">
          <label htmlFor="token-name" className="field-label">Name</label>
          <input id="token-name" className="input" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="e.g. CI upload" data-testid="token-create-name" />
        </div>
        <div className="field">
          <label htmlFor="token-scope" className="field-label">Scope</label>
          <select id="token-scope" className="select" value={scope} onChange={(e) => setScope(e.target.value as TokenScope)} data-testid="token-create-scope">
            <option value="read">Read only</option>
            <option value="write">Read and write</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="token-expiry" className="field-label">Expires after</label>
          <select id="token-expiry" className="select" value={expiry} onChange={(e) => setExpiry(e.target.value)} data-testid="token-create-expiry">
            {expiryChoices.map((choice) => (
              <option key={choice.label} value={choice.days == null ? "never" : String(choice.days)}>{choice.label}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <span className="field-label" aria-hidden="true">&nbsp;</span>
          <button type="submit" className="button button--primary" disabled={busy} data-testid="token-create-submit">{busy ? "Creating…" : "Create token"}</button>
        </div>
      </form>
      {error && <p className="field-error" role="alert" data-testid="token-create-error">{error}</p>}
    </Panel>
  );
}
