import { useRef, useState, type PointerEvent, type RefObject } from "react";
import type { EditorEngine } from "../engine/editor-engine";
import { clipsInSpan, unionSelection } from "../engine/selection";
import { isToggleClick } from "./use-clip-drag";

/** Pixels the pointer must travel before a press on an empty lane becomes a marquee (less: a click). */
const MARQUEE_PX = 4;

/** The rectangle being drawn, in the timeline content's pixels. */
export interface MarqueeBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Rubber-band selection on empty lane area. A press there is a click until the pointer moves a
 * few pixels: a click seeks the playhead and clears the selection (Shift/Ctrl: keeps it), as
 * before; a drag draws a rectangle and selects every clip it touches, across tracks (Shift/Ctrl:
 * added to the selection). Library drops are HTML drag events, not pointer presses: untouched.
 */
export function useMarquee(engine: EditorEngine, contentRef: RefObject<HTMLDivElement | null>, timeAtClientX: (clientX: number) => number) {
  const [box, setBox] = useState<MarqueeBox | null>(null);
  const active = useRef(false);

  function onEmptyLanePointerDown(event: PointerEvent<HTMLElement>) {
    const content = contentRef.current;
    if (event.button !== 0 || !content || active.current) return;
    active.current = true;
    // Captured, the release reaches us even outside the window; the events still bubble to `window`.
    event.currentTarget.setPointerCapture(event.pointerId);
    const additive = isToggleClick(event);
    const base = additive ? engine.state.selectedIds : [];
    const pointerId = event.pointerId;
    const origin = { x: event.clientX, y: event.clientY };
    // The time under the press, fixed even if the view scrolls while dragging.
    const t0 = timeAtClientX(event.clientX);
    // Content pixels stay put when the timeline scrolls (the content scrolls with it).
    const start = content.getBoundingClientRect();
    const x0 = event.clientX - start.left;
    const y0 = event.clientY - start.top;
    let dragging = false;

    const update = (e: globalThis.PointerEvent) => {
      const rect = content.getBoundingClientRect();
      const x1 = e.clientX - rect.left;
      const y1 = e.clientY - rect.top;
      setBox({ left: Math.min(x0, x1), top: Math.min(y0, y1), width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) });
      const top = Math.min(y0, y1) + rect.top;
      const bottom = Math.max(y0, y1) + rect.top;
      const trackIds = [...content.querySelectorAll<HTMLElement>('[data-testid="timeline-track"]')]
        .filter((row) => {
          const r = row.getBoundingClientRect();
          return r.bottom > top && r.top < bottom;
        })
        .map((row) => row.dataset.trackId ?? "");
      const hits = clipsInSpan(engine.state.doc, t0, timeAtClientX(e.clientX), trackIds, engine.sources);
      engine.selectClips(unionSelection(base, hits));
    };
    const move = (e: globalThis.PointerEvent) => {
      if (e.pointerId !== pointerId) return;
      if (!dragging && Math.hypot(e.clientX - origin.x, e.clientY - origin.y) < MARQUEE_PX) return;
      dragging = true;
      update(e);
    };
    const up = (e: globalThis.PointerEvent) => {
      if (e.pointerId !== pointerId) return;
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
      active.current = false;
      setBox(null);
      if (dragging) return;
      if (!additive) engine.select(null);
      engine.setPlayhead(timeAtClientX(e.clientX));
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
  }

  return { box, onEmptyLanePointerDown };
}
