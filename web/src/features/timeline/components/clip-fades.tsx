import type { Clip } from "../../../types/timeline";
import type { FadeEdge } from "../engine/fades";
import { useFadeDrag } from "../hooks/use-fade-drag";
import "./clip-tools.css";

interface ClipFadesProps {
  clip: Clip;
  zoom: number;
  fps: number;
  /** The clip's length on the timeline in seconds (fades may not exceed it together). */
  length: number;
  /** Handles are drawn only when the clip may be edited (not locked, not a drag ghost). */
  editable: boolean;
  onSetFade: (edge: FadeEdge, seconds: number) => void;
}

/**
 * A clip's fade-in and fade-out drawn as shaded ramps at its ends (their width is the fade's
 * length), with a handle at each top corner that drags the length. The keyboard way to the
 * same values is the properties panel (Fade in / Fade out).
 */
export function ClipFades({ clip, zoom, fps, length, editable, onSetFade }: ClipFadesProps) {
  const { drag, begin } = useFadeDrag(clip, zoom, fps, length, onSetFade);
  const fadeIn = drag?.edge === "in" ? drag.value : clip.fadeIn ?? 0;
  const fadeOut = drag?.edge === "out" ? drag.value : clip.fadeOut ?? 0;
  const handle = (edge: FadeEdge, seconds: number) => (
    <span
      className={`tl-fade-handle tl-fade-handle--${edge} ${drag?.edge === edge ? "tl-fade-handle--dragging" : ""}`}
      style={edge === "in" ? { left: seconds * zoom } : { right: seconds * zoom }}
      data-testid={`fade-handle-${edge}`}
      data-value={seconds}
      title={`Fade ${edge} ${seconds.toFixed(2)} s — drag to change (or use Properties)`}
      aria-hidden="true"
      onPointerDown={(e) => begin(e, edge)}
    />
  );
  return (
    <>
      {fadeIn > 0 && <span className="tl-clip__fade tl-clip__fade--in" style={{ width: fadeIn * zoom }} data-testid="clip-fade-in" title={`Fade in ${fadeIn} s`} aria-hidden="true" />}
      {fadeOut > 0 && <span className="tl-clip__fade tl-clip__fade--out" style={{ width: fadeOut * zoom }} data-testid="clip-fade-out" title={`Fade out ${fadeOut} s`} aria-hidden="true" />}
      {editable && handle("in", fadeIn)}
      {editable && handle("out", fadeOut)}
      {drag && (
        <span className="tl-fade-value" style={drag.edge === "in" ? { left: fadeIn * zoom + 8 } : { right: fadeOut * zoom + 8 }} data-testid="fade-value" role="status">
          Fade {drag.edge} {drag.value.toFixed(2)} s
        </span>
      )}
    </>
  );
}
