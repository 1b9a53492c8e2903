import type { Clip } from "../../../types/timeline";
import { describeMark, keyframeMarks } from "../engine/keyframe-marks";
import "./clip-tools.css";

interface KeyframeMarksProps {
  clip: Clip;
  zoom: number;
  /** The clip's length on the timeline in seconds; keys past it are not drawn. */
  length: number;
  /** Moves the playhead to a timeline time. */
  onSeek: (t: number) => void;
}

/** A diamond at each keyframe time of the clip's animated properties; hover names them, click seeks there. */
export function KeyframeMarks({ clip, zoom, length, onSeek }: KeyframeMarksProps) {
  const marks = keyframeMarks(clip, length);
  if (marks.length === 0) return null;
  return (
    <div className="tl-keyframes">
      {marks.map((mark) => {
        const text = describeMark(mark);
        return (
          <button
            key={mark.t}
            type="button"
            className="tl-keyframe"
            style={{ left: mark.t * zoom }}
            title={text}
            aria-label={`Keyframe: ${text}. Move the playhead here`}
            data-testid="keyframe-mark"
            data-time={clip.start + mark.t}
            data-properties={mark.keys.map((k) => k.property).join(" ")}
            tabIndex={-1}
            onPointerDown={(e) => e.stopPropagation()}
            onClick={(e) => {
              e.stopPropagation();
              onSeek(clip.start + mark.t);
            }}
          />
        );
      })}
    </div>
  );
}
