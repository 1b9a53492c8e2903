import { useEffect, useRef } from "react";

/** Every editor key, as use-editor-shortcuts handles them (and the mouse's modifiers). */
export const SHORTCUTS: readonly (readonly [string, string])[] = [
  ["Space", "Play / pause"],
  ["J  K  L", "Shuttle back, stop, forward (press again: faster)"],
  ["← →", "One frame back / forward (Shift: one second)"],
  ["Home  End", "Go to the start / end"],
  ["Shift/Ctrl+click", "Add a clip to the selection or take it out (a plain click selects one)"],
  ["Drag empty lane", "Select every clip the rectangle touches, across tracks (Shift: add to the selection)"],
  ["Ctrl+A", "Select all clips"],
  ["Drag selected", "Move all selected clips together (across tracks if they all fit)"],
  ["Alt+← →", "Nudge the selected clips a frame (Shift: a second)"],
  ["S", "Split the selected clips under the playhead (no selection: the clip under it)"],
  ["Delete", "Delete the selected clips (Shift: ripple delete, closing the gaps)"],
  ["Ctrl+C  Ctrl+V", "Copy the selected clips, paste them at the playhead (same tracks, same spacing)"],
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
