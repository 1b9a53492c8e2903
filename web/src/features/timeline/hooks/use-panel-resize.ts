import { useCallback, useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from "react";

const STORAGE_KEY = "cutroom.timelineHeight";
/** The timeline keeps its toolbar, ruler and one track; the row above keeps a usable preview. */
export const MIN_TIMELINE_PX = 160;
const MIN_ABOVE_PX = 180;
const KEY_STEP_PX = 16;

function stored(): number | null {
  try {
    const value = Number(window.localStorage.getItem(STORAGE_KEY));
    return Number.isFinite(value) && value > 0 ? value : null;
  } catch {
    return null;
  }
}

function remember(height: number): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, String(Math.round(height)));
  } catch {
    // Storage may be off (private mode): the size then lasts for this page only.
  }
}

/**
 * The height of the timeline panel below the preview/inspector row, set by dragging the
 * divider or with arrow keys on it, remembered in localStorage. The editor grid reads it from
 * `--timeline-height` (the CSS also clamps it, so a smaller window never hides either area).
 */
export function usePanelResize() {
  const [height, setHeight] = useState<number | null>(stored);
  const dividerRef = useRef<HTMLDivElement>(null);
  const drag = useRef<{ pointerId: number; startY: number; startHeight: number } | null>(null);

  const bounds = useCallback(() => {
    const editor = dividerRef.current?.closest<HTMLElement>(".editor");
    const total = editor?.clientHeight ?? window.innerHeight;
    return { min: MIN_TIMELINE_PX, max: Math.max(MIN_TIMELINE_PX, total - MIN_ABOVE_PX) };
  }, []);

  const current = useCallback(() => dividerRef.current?.parentElement?.getBoundingClientRect().height ?? MIN_TIMELINE_PX, []);

  const apply = useCallback(
    (next: number, persist: boolean) => {
      const { min, max } = bounds();
      const h = Math.round(Math.min(max, Math.max(min, next)));
      setHeight(h);
      if (persist) remember(h);
      return h;
    },
    [bounds],
  );

  // The window may have shrunk since the size was stored: show (not store) what fits now.
  const [, setTick] = useState(0);
  useEffect(() => {
    const onResize = () => setTick((n) => n + 1);
    window.addEventListener("resize", onResize);
    return () => window.removeEventListener("resize", onResize);
  }, []);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { pointerId: event.pointerId, startY: event.clientY, startHeight: current() };
  };
  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (d && d.pointerId === event.pointerId) apply(d.startHeight - (event.clientY - d.startY), false);
  };
  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== event.pointerId) return;
    drag.current = null;
    remember(apply(d.startHeight - (event.clientY - d.startY), false));
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? KEY_STEP_PX * 4 : KEY_STEP_PX;
    const { min, max } = bounds();
    const base = height ?? current();
    let next: number | null = null;
    if (event.key === "ArrowUp") next = base + step;
    else if (event.key === "ArrowDown") next = base - step;
    else if (event.key === "Home") next = max;
    else if (event.key === "End") next = min;
    if (next == null) return;
    event.preventDefault();
    // The editor's shortcuts (Home/End/arrows move the playhead) must not also act on these keys.
    event.stopPropagation();
    apply(next, true);
  };

  const { min, max } = bounds();
  const shown = height == null ? null : Math.min(max, Math.max(min, height));
  const style = shown == null ? undefined : ({ "--timeline-height": `${shown}px` } as CSSProperties);
  return {
    /** Goes on the `.editor` grid (with `className`). */
    style,
    className: shown == null ? "" : "editor--sized",
    divider: { dividerRef, height: shown ?? null, min, max, onPointerDown, onPointerMove, onPointerUp, onPointerCancel: onPointerUp, onKeyDown },
  };
}
