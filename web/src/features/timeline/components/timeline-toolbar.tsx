import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { MAX_ZOOM, MIN_ZOOM } from "../engine/editor-engine";
import { clipEnd, timecode } from "../engine/model";
import type { SaveState } from "../hooks/use-timeline-session";

interface TimelineToolbarProps {
  engine: EditorEngine;
  state: EditorState;
  save: SaveState;
  problemCount: number;
  onHelp: () => void;
}

const SAVE_TEXT: Record<SaveState["status"], string> = {
  loading: "Loading…",
  saved: "Saved",
  dirty: "Unsaved changes",
  saving: "Saving…",
  conflict: "Conflict — not saved",
  invalid: "Not saved (problems)",
  error: "Not saved",
};

/** Edit actions, zoom and the autosave state. */
export function TimelineToolbar({ engine, state, save, problemCount, onHelp }: TimelineToolbarProps) {
  const hasSelection = state.selection != null;

  function addText() {
    const doc = state.doc;
    const start = state.playhead;
    // The topmost track with room at the playhead, else a new track on top.
    for (let i = doc.tracks.length - 1; i >= 0; i--) {
      const track = doc.tracks[i];
      if (state.locked.has(track.id)) continue;
      const free = track.clips.every((c) => clipEnd(c, engine.sources) <= start + 1e-6 || c.start >= start + 3 - 1e-6);
      if (free) {
        engine.addClip(track.id, { asset: { type: "text", text: "Title", font: { size: 72, color: "#FFFFFF" } }, start, length: 3, position: "center" });
        return;
      }
    }
    // No room: a new track on top, in the same undo step.
    engine.placeClip({ asset: { type: "text", text: "Title", font: { size: 72, color: "#FFFFFF" } }, start, length: 3, position: "center" }, { trackId: null, start, mode: "insert" });
  }

  return (
    <div className="tl-toolbar" role="toolbar" aria-label="Timeline tools">
      <div className="tl-toolbar__group">
        <button type="button" className="tool" onClick={() => engine.undo()} disabled={!state.canUndo} title={state.undoLabel ? `Undo ${state.undoLabel} (Ctrl+Z)` : "Undo (Ctrl+Z)"} data-testid="undo">↶ Undo</button>
        <button type="button" className="tool" onClick={() => engine.redo()} disabled={!state.canRedo} title={state.redoLabel ? `Redo ${state.redoLabel} (Shift+Ctrl+Z)` : "Redo (Shift+Ctrl+Z)"} data-testid="redo">↷ Redo</button>
      </div>
      <div className="tl-toolbar__group">
        <button type="button" className="tool" onClick={() => engine.splitAtPlayhead()} title="Split at playhead (S)" data-testid="split">✂ Split</button>
        <button type="button" className="tool" onClick={() => engine.deleteSelection(false)} disabled={!hasSelection} title="Delete (Del)" data-testid="delete-clip">Delete</button>
        <button type="button" className="tool" onClick={() => engine.deleteSelection(true)} disabled={!hasSelection} title="Ripple delete (Shift+Del)" data-testid="ripple-delete">Ripple delete</button>
        <button type="button" className="tool" onClick={() => engine.copySelection()} disabled={!hasSelection} title="Copy (Ctrl+C)" data-testid="copy">Copy</button>
        <button type="button" className="tool" onClick={() => engine.paste()} title="Paste at playhead (Ctrl+V)" data-testid="paste">Paste</button>
        <button type="button" className="tool tool--accent" onClick={addText} title="Add a title at the playhead" data-testid="add-text">T Title</button>
      </div>
      <span className="tl-toolbar__spacer" />
      {state.notice && (
        <span className="tl-toolbar__notice" role="status" data-testid="edit-notice">
          {state.notice}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => engine.dismissNotice()}>×</button>
        </span>
      )}
      <span className="tl-toolbar__duration" title="Timeline length">{timecode(engine.duration, engine.fps)}</span>
      <label className="tl-toolbar__zoom">
        <span className="visually-hidden">Zoom</span>
        <span aria-hidden="true">−</span>
        <input
          type="range"
          min={Math.log(MIN_ZOOM)}
          max={Math.log(MAX_ZOOM)}
          step={0.01}
          value={Math.log(state.zoom)}
          onChange={(e) => engine.setZoom(Math.exp(Number(e.target.value)))}
          aria-label="Timeline zoom"
          data-testid="zoom"
        />
        <span aria-hidden="true">+</span>
      </label>
      <button type="button" className="tool" onClick={onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" data-testid="shortcuts-button">?</button>
      <span className={`save-pill save-pill--${save.status}`} data-testid="save-state" data-status={save.status} aria-live="polite">
        {SAVE_TEXT[save.status]}
        {save.status === "saved" && save.version != null ? ` · v${save.version}` : ""}
        {problemCount > 0 ? ` · ${problemCount} problem${problemCount === 1 ? "" : "s"}` : ""}
      </span>
    </div>
  );
}
