import { useState } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { EmptyState } from "../../../components/empty-state";
import { FilmIcon, PlusIcon } from "../../../components/icons";
import { errorMessage } from "../../../lib/api-client";
import { formatDateTime } from "../../../lib/format";
import { useLoadedList } from "../../../lib/use-loaded-list";
import { notify } from "../../../stores/notifications-store";
import { deleteMix, listMixes, type Mix } from "../api/mixes";
import "../mixes.css";

function summary(mix: Mix): string {
  const groups = mix.groups ?? [];
  const clips = groups.reduce((n, g) => n + g.clips.length, 0);
  const made = mix.combinations == null ? "needs editing (a clip is gone)" : `${mix.combinations} distinct variant${mix.combinations === 1 ? "" : "s"}`;
  return `${groups.length} group${groups.length === 1 ? "" : "s"} · ${clips} clip${clips === 1 ? "" : "s"} · ${made}`;
}

/** `#/mixes`: the user's mixes; open one, start a new one, or delete one. */
export function MixesPage({ onOpen }: { onOpen: (id: string) => void }) {
  const { items, setItems, status, loadError, load } = useLoadedList(listMixes);
  const [deleting, setDeleting] = useState<Mix | null>(null);

  async function remove(mix: Mix) {
    setDeleting(null);
    try {
      await deleteMix(mix.id);
      setItems((list) => list.filter((m) => m.id !== mix.id));
      notify(`Deleted “${mix.name}”.`, "success");
    } catch (err) {
      notify(`Could not delete “${mix.name}”: ${errorMessage(err)}`, "error");
    }
  }

  return (
    <div className="page page--wide" data-testid="mixes-page">
      <div className="page__head mixes-head">
        <div>
          <h1 className="page__title">Mixer</h1>
          <p className="muted">A mix cuts groups of your clips (hooks, bodies, calls to action…) into many distinct variants and renders them as one batch.</p>
        </div>
        <button type="button" className="button button--primary" onClick={() => onOpen("new")} data-testid="mix-new">
          <PlusIcon /> New mix
        </button>
      </div>
      {status === "error" && (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">Could not load the mixes: {loadError}</p>
          <button type="button" className="button button--ghost button--small" onClick={() => void load()}>Retry</button>
        </div>
      )}
      {status === "ready" && items.length === 0 && (
        <div data-testid="mixes-empty">
          <EmptyState icon={<FilmIcon size={28} />} title="No mixes yet">
            Choose “New mix”, drag clips from your library into groups, and plan the variants.
          </EmptyState>
        </div>
      )}
      {items.length > 0 && (
        <ul className="mix-list" aria-busy={status === "loading"} aria-label="Your mixes">
          {items.map((m) => (
            <li key={m.id} className="mix-list__item" data-testid="mix-item" data-mix-id={m.id}>
              <div className="mix-list__body">
                <button type="button" className="link-button mix-list__name" onClick={() => onOpen(m.id)} data-testid="mix-open">{m.name}</button>
                <p className="muted mix-list__meta">{summary(m)} · edited {formatDateTime(m.updatedAt)}</p>
              </div>
              <button type="button" className="button button--ghost button--danger-text button--small" onClick={() => setDeleting(m)} aria-label={`Delete ${m.name}`} data-testid="mix-delete">Delete</button>
            </li>
          ))}
        </ul>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          body="Batches rendered from it stay."
          confirmLabel="Delete mix"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </div>
  );
}
