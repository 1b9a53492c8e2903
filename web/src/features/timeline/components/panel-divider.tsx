import type { KeyboardEvent, PointerEvent, RefObject } from "react";
import "./panel-divider.css";

interface PanelDividerProps {
  dividerRef: RefObject<HTMLDivElement>;
  height: number | null;
  min: number;
  max: number;
  onPointerDown: (event: PointerEvent<HTMLDivElement>) => void;
  onPointerMove: (event: PointerEvent<HTMLDivElement>) => void;
  onPointerUp: (event: PointerEvent<HTMLDivElement>) => void;
  onPointerCancel: (event: PointerEvent<HTMLDivElement>) => void;
  onKeyDown: (event: KeyboardEvent<HTMLDivElement>) => void;
}

/** The draggable edge between the preview row and the timeline (↑/↓ on it resize, Shift for bigger steps). */
export function PanelDivider({ dividerRef, height, min, max, ...handlers }: PanelDividerProps) {
  return (
    <div
      ref={dividerRef}
      className="panel-divider"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the timeline (Up and Down arrow keys)"
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={height ?? undefined}
      aria-valuetext={height == null ? "Default height" : `Timeline ${height} pixels high`}
      tabIndex={0}
      data-testid="timeline-divider"
      {...handlers}
    />
  );
}
