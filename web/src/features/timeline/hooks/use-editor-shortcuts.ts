import { useEffect } from "react";
import type { EditorEngine } from "../engine/editor-engine";

interface Playback {
  rate: number;
  setRate: (rate: number) => void;
  toggle: () => void;
}

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
}

const VIEWING_KEYS = new Set([" ", "k", "l", "j", "arrowleft", "arrowright", "home", "end"]);

/**
 * Editor keys: Space play/pause, J/K/L shuttle, ←/→ one frame (Shift: one second),
 * Ctrl/Cmd+Z undo, Shift+Ctrl/Cmd+Z (or Ctrl+Y) redo, S split, Delete / Shift+Delete ripple,
 * Ctrl/Cmd+C / V copy and paste, Ctrl/Cmd+A select all, Alt+←/→ nudge the selected clips, +/- zoom, ? the shortcut sheet
 * (components/shortcut-sheet.tsx lists them all). Not `editable` (the phone's read-only view):
 * only the keys that play and move the playhead.
 */
export function useEditorShortcuts(engine: EditorEngine, playback: Playback, onHelp: () => void, editable = true) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (typingInto(e.target)) return;
      // An open dialog owns the keyboard: Escape must close it, and Delete must not delete clips behind it.
      if (document.querySelector("dialog[open]")) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (!editable && (mod || e.altKey || !VIEWING_KEYS.has(key))) return;
      let handled = true;
      if (mod && key === "z") {
        if (e.shiftKey) engine.redo();
        else engine.undo();
      } else if (mod && key === "y") engine.redo();
      else if (mod && key === "c") engine.copySelection();
      else if (mod && key === "v") engine.paste();
      else if (mod && key === "a") engine.selectAll();
      else if (mod) handled = false;
      else if (key === " ") {
        // A focused button would also "click" on Space: the editor owns it.
        playback.toggle();
      } else if (key === "k") playback.setRate(0);
      else if (key === "l") playback.setRate(playback.rate <= 0 ? 1 : Math.min(4, playback.rate * 2));
      else if (key === "j") playback.setRate(playback.rate >= 0 ? -1 : Math.max(-4, playback.rate * 2));
      else if ((key === "arrowleft" || key === "arrowright") && e.altKey && engine.state.selectedIds.length > 0) {
        // Alt+arrow nudges the selected clips by a frame (Shift: a second): moving clips without a mouse.
        engine.moveSelection((e.shiftKey ? 1 : 1 / engine.fps) * (key === "arrowleft" ? -1 : 1));
      } else if (key === "arrowleft") engine.stepFrames(e.shiftKey ? -Math.round(engine.fps) : -1);
      else if (key === "arrowright") engine.stepFrames(e.shiftKey ? Math.round(engine.fps) : 1);
      else if (key === "home") engine.setPlayhead(0);
      else if (key === "end") engine.setPlayhead(engine.duration);
      else if (key === "s") engine.splitAtPlayhead();
      else if (key === "delete" || key === "backspace") engine.deleteSelection(e.shiftKey);
      else if (key === "+" || key === "=") engine.setZoom(engine.state.zoom * 1.25);
      else if (key === "-") engine.setZoom(engine.state.zoom / 1.25);
      else if (key === "escape") engine.select(null);
      else if (key === "?") onHelp();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [engine, playback, onHelp, editable]);
}
