import { useState } from "react";
import { API_BASE, errorMessage } from "../../../lib/api-client";
import { notify } from "../../../stores/notifications-store";
import { batchArchiveUrl, cancelBatch, retryBatch, type BatchCounts } from "../api/batches";
import { useBatch } from "../hooks/use-batch";

interface BatchPageProps {
  id: string;
  /** Columns the archive may name files by (the template's fields). */
  columns: string[];
  /** What the batch was made from (a template or a mix), when it still exists. */
  origin?: { label: string; open: () => void };
}

const renderOutputUrl = (id: string) => `${API_BASE}/renders/${encodeURIComponent(id)}/output`;

// `deleted` shows only when some renders went with their project.
const STATUSES: (keyof BatchCounts)[] = ["queued", "rendering", "completed", "failed", "cancelled", "deleted"];

/** `#/batches/{id}`: the whole batch's progress live, counts per status, cancel, retry failed, download all. */
export function BatchPage({ id, columns, origin }: BatchPageProps) {
  const { batch, renders, error, follow } = useBatch(id);
  const [column, setColumn] = useState("");
  const [busy, setBusy] = useState(false);

  async function act(action: "cancel" | "retry") {
    setBusy(true);
    try {
      const next = action === "cancel" ? await cancelBatch(id) : await retryBatch(id);
      follow(next);
    } catch (err) {
      notify(`Could not ${action}: ${errorMessage(err)}`, "error");
    } finally {
      setBusy(false);
    }
  }

  if (!batch) return <div className="page" aria-busy={!error}>{error && <p className="alert alert--error">{error}</p>}</div>;
  const { counts } = batch;
  const retryable = counts.failed + counts.cancelled;
  return (
    <div className="page" data-testid="batch-page" data-status={batch.status}>
      <div className="page__head">
        <h1 className="page__title">Batch of {batch.total}</h1>
        {origin && (
          <button type="button" className="link-button" onClick={origin.open} data-testid="batch-origin">{origin.label}</button>
        )}
        <p className="muted" data-testid="batch-summary">{batch.status === "finished" ? "Finished" : "Rendering"} · {Math.round(batch.progress * 100)} % ended</p>
      </div>
      <div className="progress progress--large" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(batch.progress * 100)}>
        <div className="progress__fill" style={{ width: `${batch.progress * 100}%` }} />
      </div>
      <dl className="batch-counts" data-testid="batch-counts">
        {STATUSES.filter((s) => s !== "deleted" || counts.deleted > 0).map((s) => (
          <div key={s} className={`batch-counts__item batch-counts__item--${s}`}>
            <dt>{s}</dt>
            <dd data-testid={`count-${s}`}>{counts[s]}</dd>
          </div>
        ))}
      </dl>
      {error && <p className="alert alert--warning">{error}</p>}
      <div className="form-actions">
        <button type="button" className="button button--secondary" disabled={busy || batch.status === "finished"} onClick={() => void act("cancel")} data-testid="batch-cancel">Cancel batch</button>
        <button type="button" className="button button--secondary" disabled={busy || retryable === 0 || batch.status !== "finished"} onClick={() => void act("retry")} data-testid="batch-retry">{retryable > 0 ? `Retry ${retryable} failed or cancelled` : "Retry failed"}</button>
      </div>
      <section className="batch-archive" aria-labelledby="archive-title">
        <h2 className="subheading" id="archive-title">Download all</h2>
        <div className="input-row">
          <label className="field--inline">
            <span className="field-label">Name files by</span>
            <select className="select" value={column} onChange={(e) => setColumn(e.target.value)} data-testid="archive-column">
              <option value="">row number</option>
              {columns.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          {counts.completed > 0 ? (
            <a className="button button--primary" href={batchArchiveUrl(id, column || null)} download data-testid="batch-download">Download ZIP ({counts.completed})</a>
          ) : (
            <span className="muted">Nothing finished yet.</span>
          )}
        </div>
      </section>
      {renders.size > 0 && (
        <ul className="batch-renders" aria-label="Renders of this batch">
          {[...renders.values()].map((r) => (
            <li key={r.id} className={`badge badge--${r.status}`} title={r.id}>
              {r.status === "completed" ? <a href={renderOutputUrl(r.id)} target="_blank" rel="noreferrer">{r.status}</a> : r.status}
              {r.status === "rendering" ? ` ${Math.round(r.progress * 100)} %` : ""}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
