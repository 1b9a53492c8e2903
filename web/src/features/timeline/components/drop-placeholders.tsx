import type { PendingDrop } from "../hooks/use-file-drops";

const WIDTH = 132;

function stateText(d: PendingDrop): string {
  if (d.status === "uploading") return `Uploading ${Math.round(d.fraction * 100)}%`;
  if (d.status === "error") return "Refused (see Media)";
  // Uploaded, waiting for a file dropped before it: files land in drop order.
  if (d.status === "done") return "Uploaded";
  return "Processing…";
}

/** Files dropped here that are still uploading: a placeholder each at the drop spot with its progress. */
export function DropPlaceholders({ drops, zoom }: { drops: PendingDrop[]; zoom: number }) {
  return (
    <>
      {drops.map((d) => (
        <div
          key={d.uploadId}
          className={`tl-drop-placeholder tl-drop-placeholder--${d.status}`}
          style={{ left: d.start * zoom + d.index * (WIDTH + 4), width: WIDTH }}
          data-testid="drop-placeholder"
          data-status={d.status}
          role="status"
          title={d.fileName}
        >
          <span className="tl-drop-placeholder__name">{d.fileName}</span>
          <span className="tl-drop-placeholder__state">{stateText(d)}</span>
          <span className="tl-drop-placeholder__bar" style={{ width: `${Math.round(d.fraction * 100)}%` }} aria-hidden="true" />
        </div>
      ))}
    </>
  );
}
