import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { clipEnd, findClip, fpsOf, timecode } from "../engine/model";

/** The properties panel with several clips selected: how many, the actions on all of them, and which they are. */
export function SelectionSummary({ engine, state }: { engine: EditorEngine; state: EditorState }) {
  const fps = fpsOf(state.doc);
  const rows = state.selectedIds.flatMap((id) => {
    const found = findClip(state.doc, id);
    return found ? [{ id, found }] : [];
  });
  const underPlayhead = rows.some(({ found }) => found.clip.start < state.playhead && state.playhead < clipEnd(found.clip, engine.sources));
  return (
    <div className="props props--multi" data-testid="properties" data-selected-count={rows.length}>
      <p className="props__multi-count" data-testid="multi-count" role="status">{rows.length} clips selected</p>
      <div className="props__multi-actions">
        <button type="button" className="button button--secondary button--small" onClick={() => engine.deleteSelection(false)} data-testid="multi-delete">Delete</button>
        <button type="button" className="button button--secondary button--small" onClick={() => engine.deleteSelection(true)} data-testid="multi-ripple-delete">Ripple delete</button>
        <button type="button" className="button button--secondary button--small" onClick={() => engine.copySelection()} data-testid="multi-copy">Copy</button>
        <button type="button" className="button button--secondary button--small" onClick={() => engine.splitAtPlayhead()} disabled={!underPlayhead} title="Split the selected clips under the playhead (S)" data-testid="multi-split">Split at playhead</button>
        <button type="button" className="button button--ghost button--small" onClick={() => engine.select(null)} data-testid="multi-clear">Clear selection</button>
      </div>
      <ul className="props__multi-list" aria-label="Selected clips">
        {rows.map(({ id, found }) => (
          <li key={id}>
            <button type="button" className="link-button" onClick={() => engine.select(id)} title="Select only this clip">
              {found.clip.asset.type === "text" ? `T ${found.clip.asset.text ?? ""}` : found.clip.asset.type} · {found.track.name ?? `Track ${found.trackIndex + 1}`}
            </button>
            <span className="props__multi-time">{timecode(found.clip.start, fps)}–{timecode(clipEnd(found.clip, engine.sources), fps)}</span>
          </li>
        ))}
      </ul>
      <p className="props__keys muted">
        Drag any selected clip to move them all · <kbd>Alt ←</kbd><kbd>→</kbd> nudge · <kbd>Ctrl C</kbd> / <kbd>Ctrl V</kbd> copy, paste at the playhead · <kbd>Esc</kbd> clear
      </p>
    </div>
  );
}
