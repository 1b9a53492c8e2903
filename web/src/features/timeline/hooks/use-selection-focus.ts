import type { EditorEngine } from "../engine/editor-engine";

/**
 * A clip focused from the keyboard (Tab) becomes the selection. A click also focuses the clip,
 * but the pointer handlers have already chosen the selection then (Shift-click may just have
 * taken this clip out of it), so a focus that is not keyboard focus (:focus-visible) changes nothing.
 */
export function selectOnKeyboardFocus(engine: EditorEngine, clipId: string): void {
  const focused = document.activeElement;
  const byKeyboard = focused instanceof HTMLElement && focused.dataset.clipId === clipId && focused.matches(":focus-visible");
  if (byKeyboard && !engine.state.selectedIds.includes(clipId)) engine.select(clipId);
}
