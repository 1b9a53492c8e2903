import type { Track } from "../../../types/timeline";
import type { EditorEngine } from "../engine/editor-engine";

interface TrackHeaderProps {
  engine: EditorEngine;
  track: Track;
  /** Position in the document (0 is the bottom layer). */
  index: number;
  trackCount: number;
  locked: boolean;
}

/** A track's name and its mute, hide, lock, reorder and remove buttons. */
export function TrackHeader({ engine, track, index, trackCount, locked }: TrackHeaderProps) {
  const name = track.name ?? track.id;
  return (
    <div className="tl-track__header">
      <input
        className="tl-track__name"
        defaultValue={name}
        key={name}
        aria-label="Track name"
        onBlur={(e) => e.currentTarget.value !== name && engine.setTrackFlags(track.id, { name: e.currentTarget.value })}
        onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
      />
      <div className="tl-track__buttons">
        <button type="button" className={`tl-toggle ${track.muted ? "tl-toggle--on" : ""}`} aria-pressed={!!track.muted} title="Mute" aria-label={`Mute ${name}`} data-testid="track-mute" onClick={() => engine.setTrackFlags(track.id, { muted: !track.muted })}>M</button>
        <button type="button" className={`tl-toggle ${track.hidden ? "tl-toggle--on" : ""}`} aria-pressed={!!track.hidden} title="Hide" aria-label={`Hide ${name}`} data-testid="track-hide" onClick={() => engine.setTrackFlags(track.id, { hidden: !track.hidden })}>H</button>
        <button type="button" className={`tl-toggle ${locked ? "tl-toggle--on" : ""}`} aria-pressed={locked} title="Lock" aria-label={`Lock ${name}`} data-testid="track-lock" onClick={() => engine.toggleLock(track.id)}>L</button>
        <button type="button" className="tl-toggle" title="Move up" aria-label="Move track up" disabled={index === trackCount - 1} onClick={() => engine.reorderTrack(track.id, 1)}>▲</button>
        <button type="button" className="tl-toggle" title="Move down" aria-label="Move track down" disabled={index === 0} onClick={() => engine.reorderTrack(track.id, -1)}>▼</button>
        <button type="button" className="tl-toggle tl-toggle--danger" title="Remove track" aria-label="Remove track" data-testid="track-remove" onClick={() => {
          if (track.clips.length === 0 || window.confirm(`Remove “${name}” and its ${track.clips.length} clips?`)) engine.removeTrack(track.id);
        }}>×</button>
      </div>
    </div>
  );
}
