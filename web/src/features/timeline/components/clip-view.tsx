import { useEffect, useRef, useState, type CSSProperties, type KeyboardEvent, type PointerEvent } from "react";
import { assetFilmstripUrl, assetIdOfSrc, assetThumbnailUrl, assetWaveformUrl } from "../../../lib/asset-urls";
import type { Clip } from "../../../types/timeline";
import type { DragMode } from "../hooks/use-clip-drag";
import type { FadeEdge } from "../engine/fades";
import { ClipFades } from "./clip-fades";
import { KeyframeMarks } from "./keyframe-marks";

interface ClipViewProps {
  clip: Clip;
  left: number;
  width: number;
  zoom: number;
  sourceDuration: number | null;
  /** The source has sound: video clips draw its waveform under the filmstrip. */
  hasAudio?: boolean;
  label: string;
  selected: boolean;
  errors: string[] | undefined;
  ghost?: "ok" | "blocked";
  locked: boolean;
  onPointerDown: (event: PointerEvent<HTMLElement>, mode: DragMode) => void;
  onSelect: () => void;
  onEditText: (text: string) => void;
  /** The clip's asset is gone from the library: drawn as a red placeholder with a Relink… button. */
  missing?: boolean;
  onRelink?: (anchor: HTMLElement) => void;
  /** Frames per second of the document (fade handles snap to frames). */
  fps: number;
  onSetFade: (edge: FadeEdge, seconds: number) => void;
  /** Moves the playhead (clicking a keyframe diamond). */
  onSeek: (t: number) => void;
}

/** One clip on a lane: filmstrip for video, waveform for audio, inline editing for text. */
export function ClipView(props: ClipViewProps) {
  const { clip, left, width, zoom, sourceDuration, label, selected, errors, ghost, locked } = props;
  const [editing, setEditing] = useState(false);
  const inputRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);

  const type = clip.asset.type;
  const assetId = assetIdOfSrc(clip.asset.src);
  const speed = clip.speed ?? 1;
  const style: CSSProperties = { left, width: Math.max(2, width) };
  const media: CSSProperties = {};
  let wave: CSSProperties | null = null;
  if (assetId && (type === "video" || type === "audio") && sourceDuration && !props.missing) {
    // The strip covers the whole source; shift it so the clip's in-point sits at its left edge.
    const full = (sourceDuration / speed) * zoom;
    const x = -((clip.trim ?? 0) / speed) * zoom;
    if (type === "video") {
      // About one frame per 60 px (the lane's picture is ~34 px high), in powers of two so zooming reuses cached strips.
      const count = Math.max(1, Math.min(64, 2 ** Math.round(Math.log2(Math.max(1, full / 60)))));
      media.backgroundImage = `url("${assetFilmstripUrl(assetId, 48, count)}"), url("${assetThumbnailUrl(assetId)}")`;
      media.backgroundSize = `${full}px 100%, auto 100%`;
      media.backgroundPosition = `${x}px 0, 0 0`;
      media.backgroundRepeat = "no-repeat, repeat-x";
      if (props.hasAudio && clip.asset.audio !== false) {
        wave = {
          backgroundImage: `url("${assetWaveformUrl(assetId, 1200, 32)}")`,
          backgroundSize: `${full}px 100%`,
          backgroundPosition: `${x}px 0`,
          backgroundRepeat: "no-repeat",
        };
      }
    } else {
      media.backgroundImage = `url("${assetWaveformUrl(assetId, 1200, 48)}")`;
      media.backgroundSize = `${full}px 100%`;
      media.backgroundPosition = `${x}px 0`;
      media.backgroundRepeat = "no-repeat";
    }
  } else if (props.missing) {
    // No filmstrip or waveform to ask for: the placeholder is drawn by its class.
  } else if (assetId && type === "image") {
    media.backgroundImage = `url("${assetThumbnailUrl(assetId)}")`;
    media.backgroundSize = "auto 100%";
    media.backgroundRepeat = "repeat-x";
  } else if (type === "color") {
    media.background = clip.asset.color ?? "#444";
  }

  const hasErrors = !!errors?.length;
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Enter" && type === "text" && !locked) {
      event.preventDefault();
      setEditing(true);
    }
  };

  return (
    <div
      className={[
        "tl-clip",
        `tl-clip--${type}`,
        selected ? "tl-clip--selected" : "",
        hasErrors ? "tl-clip--error" : "",
        ghost ? `tl-clip--ghost tl-clip--ghost-${ghost}` : "",
        props.missing ? "tl-clip--missing" : "",
      ].join(" ")}
      style={style}
      role="button"
      tabIndex={ghost ? -1 : 0}
      aria-pressed={selected}
      aria-selected={selected}
      aria-label={`${label}, ${clip.start.toFixed(2)} s, ${(clip.length ?? 0).toFixed(2)} s long${hasErrors ? `, ${errors?.join("; ")}` : ""}`}
      title={hasErrors ? errors?.join("\n") : label}
      data-testid={ghost ? "clip-ghost" : "timeline-clip"}
      data-clip-id={clip.id}
      data-clip-type={type}
      data-start={clip.start}
      data-length={clip.length}
      data-invalid={hasErrors ? "true" : undefined}
      data-missing={props.missing ? "true" : undefined}
      onPointerDown={(e) => !editing && props.onPointerDown(e, "move")}
      onFocus={props.onSelect}
      onKeyDown={onKeyDown}
      onDoubleClick={() => type === "text" && !locked && setEditing(true)}
    >
      <div className="tl-clip__media" style={media} aria-hidden="true" />
      {wave && <div className="tl-clip__wave" style={wave} aria-hidden="true" />}
      <div className="tl-clip__label">
        {type === "text" && editing ? (
          <input
            ref={inputRef}
            className="tl-clip__text-input"
            defaultValue={clip.asset.text ?? ""}
            aria-label="Title text"
            data-testid="clip-text-input"
            onPointerDown={(e) => e.stopPropagation()}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === "Enter") {
                props.onEditText(e.currentTarget.value);
                setEditing(false);
              } else if (e.key === "Escape") setEditing(false);
            }}
            onBlur={(e) => {
              props.onEditText(e.currentTarget.value);
              setEditing(false);
            }}
          />
        ) : (
          <span className="tl-clip__name">{type === "text" ? `T  ${clip.asset.text ?? ""}` : label}</span>
        )}
      </div>
      <KeyframeMarks clip={clip} zoom={zoom} length={clip.length ?? width / zoom} onSeek={props.onSeek} />
      <ClipFades clip={clip} zoom={zoom} fps={props.fps} length={clip.length ?? width / zoom} editable={!locked && !ghost} onSetFade={props.onSetFade} />
      {props.missing && !locked && !ghost && (
        <button
          type="button"
          className="tl-clip__relink"
          data-testid="relink-button"
          onPointerDown={(e) => e.stopPropagation()}
          onClick={(e) => props.onRelink?.(e.currentTarget)}
        >
          Relink…
        </button>
      )}
      {hasErrors && <span className="tl-clip__error-badge" aria-hidden="true">!</span>}
      {hasErrors && selected && <div className="tl-clip__error" data-testid="clip-error" role="alert">{errors?.[0]}</div>}
      {!locked && !ghost && (
        <>
          <span className="tl-clip__handle tl-clip__handle--start" data-testid="trim-start" onPointerDown={(e) => { e.stopPropagation(); props.onPointerDown(e, "trim-start"); }} />
          <span className="tl-clip__handle tl-clip__handle--end" data-testid="trim-end" onPointerDown={(e) => { e.stopPropagation(); props.onPointerDown(e, "trim-end"); }} />
        </>
      )}
    </div>
  );
}
