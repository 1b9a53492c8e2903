import { StatusBadge } from "../../../components/status-badge";
import { formatBytes, formatDateTime } from "../../../lib/format";
import type { Render } from "../../../types/api";
import { renderOutputUrl } from "../api/renders";

interface RenderHistoryProps {
  renders: Render[];
  currentId: string | null;
  error: string | null;
  onShow: (render: Render) => void;
}

/** Earlier renders of the project, newest first. */
export function RenderHistory({ renders, currentId, error, onShow }: RenderHistoryProps) {
  return (
    <div className="render-history">
      <h3 className="subheading">History</h3>
      {error && <p className="field-error">{error}</p>}
      {renders.length === 0 && !error && <p className="muted">No renders yet.</p>}
      <ul className="history-list" data-testid="render-history">
        {renders.map((r) => (
          <li key={r.id} className={`history-item ${r.id === currentId ? "history-item--current" : ""}`} data-testid="render-history-item">
            <StatusBadge status={r.status} />
            <span className="history-item__time">{formatDateTime(r.createdAt)}</span>
            <span className="history-item__facts">{facts(r)}</span>
            <span className="history-item__links">
              {r.status === "completed" ? (
                <>
                  <button type="button" className="link-button" onClick={() => onShow(r)}>Play</button>
                  <a href={renderOutputUrl(r)} download>Download</a>
                </>
              ) : (
                <button type="button" className="link-button" onClick={() => onShow(r)}>Details</button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "mp4 · took 12.3 s · 4.1 MB" */
function facts(r: Render): string {
  const parts: string[] = [];
  if (r.format) parts.push(r.format);
  if (r.startedAt && r.completedAt) {
    const seconds = (Date.parse(r.completedAt) - Date.parse(r.startedAt)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) parts.push(`took ${seconds.toFixed(1)} s`);
  }
  if (r.outputSize) parts.push(formatBytes(r.outputSize));
  return parts.join(" · ");
}
