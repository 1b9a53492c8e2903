import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { MusicIcon, PlusIcon } from "../../../components/icons";
import { assetContentUrl } from "../../../lib/asset-urls";
import { formatDuration } from "../../../lib/format";
import type { Asset } from "../../../types/api";
import "./source-viewer.css";

interface SourceViewerProps {
  asset: Asset;
  /** "Add to timeline at playhead"; absent for kinds the timeline cannot take. */
  onAdd?: (asset: Asset) => void;
  onClose: () => void;
}

/**
 * One library file played as it was uploaded (GET /assets/{id}/content), in a modal over the
 * editor: play/pause, a scrub bar, its time, and "Add to timeline at playhead". Closing returns
 * to the timeline's preview and focus to the card it was opened from.
 */
export function SourceViewer({ asset, onAdd, onClose }: SourceViewerProps) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const mediaRef = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(asset.duration ?? 0);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const timed = asset.kind === "video" || asset.kind === "audio";
  const src = assetContentUrl(asset.id);

  useEffect(() => {
    const dialog = dialogRef.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal focuses the first button (Close); start on Play (or Add) instead.
    dialog?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => opener?.focus({ preventScroll: true });
  }, []);

  const toggle = () => {
    const media = mediaRef.current;
    if (!media) return;
    if (media.paused) {
      if (media.ended) media.currentTime = 0;
      media.play().catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
    } else media.pause();
  };

  const seek = (t: number) => {
    const media = mediaRef.current;
    if (!media) return;
    media.currentTime = Math.max(0, Math.min(t, duration || 0));
    setTime(media.currentTime);
  };

  // The editor's own keys (Space plays the timeline, S splits, Delete…) must not act behind the dialog;
  // its Escape (deselect) would also cancel the dialog's own Escape with preventDefault.
  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation();
    const tag = (e.target as HTMLElement).tagName;
    if (e.key === " " && timed && tag !== "BUTTON" && tag !== "INPUT") {
      e.preventDefault();
      toggle();
    }
  };

  const mediaProps = {
    ref: mediaRef,
    src,
    preload: "auto" as const,
    className: "source-viewer__media",
    "data-testid": "source-media",
    onLoadedMetadata: (e: { currentTarget: HTMLMediaElement }) => Number.isFinite(e.currentTarget.duration) && setDuration(e.currentTarget.duration),
    onTimeUpdate: (e: { currentTarget: HTMLMediaElement }) => setTime(e.currentTarget.currentTime),
    onPlay: () => setPlaying(true),
    onPause: () => setPlaying(false),
    onEnded: () => setPlaying(false),
    onError: () => setError("This file cannot be played in the browser."),
    onClick: toggle,
  };

  return (
    <dialog
      ref={dialogRef}
      className="dialog source-viewer"
      // "close", not "cancel": Chrome closes a dialog on Escape without "cancel" when the page had no new user activation.
      onClose={onClose}
      onKeyDown={onKeyDown}
      aria-labelledby="source-viewer-title"
      data-testid="source-viewer"
      data-asset-id={asset.id}
    >
      <header className="source-viewer__header">
        <h2 id="source-viewer-title" className="source-viewer__title" title={asset.name}>
          <span className="source-viewer__label">Source</span> {asset.name}
        </h2>
        <button type="button" className="button button--ghost button--small" onClick={onClose} data-testid="source-close">Close</button>
      </header>
      <div className={`source-viewer__stage source-viewer__stage--${asset.kind}`}>
        {asset.kind === "video" ? (
          <video {...mediaProps} playsInline />
        ) : asset.kind === "audio" ? (
          <>
            <MusicIcon size={48} />
            <audio {...mediaProps} />
          </>
        ) : asset.kind === "image" ? (
          <img className="source-viewer__media" src={src} alt={asset.name} data-testid="source-media" onError={() => setError("This picture cannot be shown.")} />
        ) : (
          <p className="muted">A {asset.kind} file has no picture or sound to preview.</p>
        )}
      </div>
      {error && <p className="field-error" role="alert">{error}</p>}
      <div className="source-viewer__controls">
        {timed && (
          <>
            <button type="button" className="transport__button transport__button--play" onClick={toggle} aria-label={playing ? "Pause source" : "Play source"} data-testid="source-play" data-autofocus>
              {playing ? "❚❚" : "▶"}
            </button>
            <input
              type="range"
              className="source-viewer__scrub"
              min={0}
              max={duration || 0}
              step={0.01}
              value={Math.min(time, duration || 0)}
              onChange={(e) => seek(Number(e.target.value))}
              aria-label="Source position"
              aria-valuetext={`${formatDuration(time)} of ${formatDuration(duration)}`}
              data-testid="source-scrub"
            />
            <span className="source-viewer__time" data-testid="source-time">
              {formatDuration(time)} <span className="muted">/ {formatDuration(duration)}</span>
            </span>
          </>
        )}
        {onAdd && (
          <button
            type="button"
            className="button button--primary button--small source-viewer__add"
            onClick={() => {
              onAdd(asset);
              onClose();
            }}
            data-autofocus={timed ? undefined : true}
            data-testid="source-add"
          >
            <PlusIcon /> Add to timeline at playhead
          </button>
        )}
      </div>
    </dialog>
  );
}
