import { useEffect, useState, type PointerEvent } from "react";
import type { Clip } from "../../../types/timeline";
import { clampFade, type FadeEdge } from "../engine/fades";

export interface FadeDrag {
  edge: FadeEdge;
  pointerId: number;
  originX: number;
  origin: number;
  /** The fade length if released now (frame-snapped and clamped). */
  value: number;
}

/**
 * Drags a clip's fade handle: the length follows the pointer (the fade-in grows rightwards,
 * the fade-out leftwards), is shown while dragging, and is committed once on release so the
 * whole drag is one undo step.
 */
export function useFadeDrag(clip: Clip, zoom: number, fps: number, length: number, commit: (edge: FadeEdge, seconds: number) => void) {
  const [drag, setDrag] = useState<FadeDrag | null>(null);

  function begin(event: PointerEvent<HTMLElement>, edge: FadeEdge) {
    if (event.button !== 0) return;
    // The clip underneath must not start a move or trim.
    event.stopPropagation();
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    const origin = (edge === "in" ? clip.fadeIn : clip.fadeOut) ?? 0;
    setDrag({ edge, pointerId: event.pointerId, originX: event.clientX, origin, value: origin });
  }

  useEffect(() => {
    if (!drag) return;
    const valueAt = (clientX: number) => {
      const dx = (clientX - drag.originX) / zoom;
      return clampFade(clip, drag.edge, drag.origin + (drag.edge === "in" ? dx : -dx), fps, length);
    };
    const move = (e: globalThis.PointerEvent) => {
      if (e.pointerId === drag.pointerId) setDrag((d) => (d ? { ...d, value: valueAt(e.clientX) } : d));
    };
    const up = (e: globalThis.PointerEvent) => {
      if (e.pointerId !== drag.pointerId) return;
      const value = e.type === "pointercancel" ? drag.origin : valueAt(e.clientX);
      setDrag(null);
      if (value !== drag.origin) commit(drag.edge, value);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
    return () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
    };
  });

  return { drag, begin };
}
