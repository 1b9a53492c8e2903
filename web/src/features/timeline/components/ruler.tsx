import { useRef, type PointerEvent } from "react";
import { timecode } from "../engine/model";

const STEPS = [1 / 30, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600];

interface RulerProps {
  zoom: number;
  fps: number;
  width: number;
  onScrub: (t: number) => void;
}

function label(t: number, step: number, fps: number): string {
  const tc = timecode(t, fps);
  // Zoomed in far enough to see frames: show them; otherwise mm:ss.
  return step < 1 ? tc.slice(3) : tc.slice(3, 8);
}

/** Time ruler: major ticks with labels at a step that keeps them ~80 px apart; click or drag to move the playhead. */
export function Ruler({ zoom, fps, width, onScrub }: RulerProps) {
  const ref = useRef<HTMLDivElement>(null);
  const step = STEPS.find((s) => s * zoom >= 80) ?? STEPS[STEPS.length - 1];
  const minor = step / 5;
  const count = Math.min(4000, Math.ceil(width / zoom / minor) + 1);
  const ticks = [];
  for (let i = 0; i < count; i++) {
    const t = i * minor;
    const major = i % 5 === 0;
    ticks.push(
      <div key={i} className={`ruler__tick ${major ? "ruler__tick--major" : ""}`} style={{ left: t * zoom }}>
        {major && <span className="ruler__label">{label(t, step, fps)}</span>}
      </div>,
    );
  }
  const timeAt = (event: PointerEvent) => {
    const rect = ref.current?.getBoundingClientRect();
    return rect ? Math.max(0, (event.clientX - rect.left) / zoom) : 0;
  };
  return (
    <div
      ref={ref}
      className="ruler"
      style={{ width }}
      data-testid="timeline-ruler"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        onScrub(timeAt(e));
      }}
      onPointerMove={(e) => {
        if (e.currentTarget.hasPointerCapture(e.pointerId)) onScrub(timeAt(e));
      }}
    >
      {ticks}
    </div>
  );
}
