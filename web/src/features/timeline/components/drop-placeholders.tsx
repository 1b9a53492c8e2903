import type { PendingDrop } from "../hooks/use-file-drops";

const WIDTH = 132;

/** Files dropped here that are still uploading: a placeholder each at the drop spot with its progress. */
export function DropPlaceholders({ drops, zoom }: { drops: PendingDrop[]; zoom: number }) {
  return (
    <>
      {drops.map((d) => (
        <div
          key={d.uploadId}
          className="tl-drop-placeholder"
          style={{ left: d.start * zoom + d.index * (WIDTH + 4), width: WIDTH }}
          data-testid="drop-placeholder"
          data-status={d.status}
          role="status"
          title={d.fileName}
        >
          <span className="tl-drop-placeholder__name">{d.fileName}</span>
          <span className="tl-drop-placeholder__state">{d.status === "uploading" ? `Uploading ${Math.round(d.fraction * 100)}%` : "Processing…"}</span>
          <span className="tl-drop-placeholder__bar" style={{ width: `${Math.round(d.fraction * 100)}%` }} aria-hidden="true" />
        </div>
      ))}
    </>
  );
}
