import { useEffect, useRef } from "react";

/** Every editor key, as use-editor-shortcuts handles them (and the mouse's modifiers). */
export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ["Space", "Play / pause"],
  ["J  K  L", "Shuttle back, stop, forward (press again: faster)"],
  ["← →", "One frame back / forward (Shift: one second)"],
  ["Home  End", "Go to the start / end"],
  ["Alt+← →", "Nudge the selected clip a frame (Shift: a second)"],
  ["S", "Split the selected clip (or the one under the playhead) at the playhead"],
  ["Delete", "Delete the selected clip (Shift: ripple delete, closing the gap)"],
  ["Ctrl+C  Ctrl+V", "Copy the selected clip, paste it at the playhead"],
  ["Ctrl+Z", "Undo (Shift+Ctrl+Z or Ctrl+Y: redo)"],
  ["+  −  Ctrl+wheel", "Zoom the timeline"],
  ["Enter", "Edit the text of the selected title"],
  ["Esc", "Clear the selection, close a menu"],
  ["Drop", "A library file onto a track inserts it there (the track ripples); hold Alt to overwrite; below the last track: a new track"],
  ["?", "This sheet"],
];

/** The "?" sheet: the editor's keyboard shortcuts. */
export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog shortcut-sheet" onCancel={onClose} onClose={onClose} aria-labelledby="shortcuts-title" data-testid="shortcut-sheet">
      <h2 id="shortcuts-title" className="dialog__title">Keyboard shortcuts</h2>
      <dl className="shortcut-sheet__list">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcut-sheet__row">
            <dt><kbd>{keys}</kbd></dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
      <div className="dialog__actions">
        <button type="button" className="button button--secondary" onClick={onClose} autoFocus data-testid="shortcut-sheet-close">Close</button>
      </div>
    </dialog>
  );
}
