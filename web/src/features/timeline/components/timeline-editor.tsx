import { useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { ASSET_DRAG_TYPE } from "../../../lib/drag-types";
import type { Asset } from "../../../types/api";
import { dropAsset } from "../engine/asset-clips";
import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { fpsOf, timecode } from "../engine/model";
import { snapSpan, snapTargets } from "../engine/snap";
import { SNAP_PX, useClipDrag } from "../hooks/use-clip-drag";
import type { PendingDrop } from "../hooks/use-file-drops";
import { useMarquee } from "../hooks/use-marquee";
import type { ValidationResult } from "../hooks/use-validation";
import type { PlaceTarget } from "../engine/placing";
import { DropPlaceholders } from "./drop-placeholders";
import "../selection.css";
import { Ruler } from "./ruler";
import { TrackHeader } from "./track-header";
import { TrackLane } from "./track-lane";

const HEADER_W = 184;

interface TimelineEditorProps {
  engine: EditorEngine;
  state: EditorState;
  assets: Asset[];
  /** The library has loaded (before it, no clip counts as missing). */
  assetsReady: boolean;
  validation: ValidationResult;
  /** Files from the computer dropped on a lane (uploaded, then placed at `target`). */
  onDropFiles?: (files: File[], target: PlaceTarget) => void;
  /** Dropped files still uploading, drawn at their drop spot. */
  pendingDrops?: PendingDrop[];
}

function hasFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer.types).includes("Files");
}

/** Tracks, clips, ruler, playhead and snap line; pointer drags for move and trim, drops from the library. */
export function TimelineEditor({ engine, state, assets, assetsReady, validation, onDropFiles, pendingDrops = [] }: TimelineEditorProps) {
  const { doc, zoom, playhead, selectedIds, locked } = state;
  const fps = fpsOf(doc);
  const byId = useMemo(() => new Map(assets.map((a) => [a.id, a])), [assets]);
  const [dropLine, setDropLine] = useState<{ trackId: string | null; t: number; overwrite: boolean } | null>(null);
  const [cutMenu, setCutMenu] = useState<string | null>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const sources = engine.sources;
  const duration = engine.duration;
  const contentWidth = Math.max(((duration + 10) * zoom), 1200);

  // Keep the playhead in view while playing or stepping.
  useEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const x = playhead * zoom;
    const visible = el.clientWidth - HEADER_W;
    if (x < el.scrollLeft || x > el.scrollLeft + visible - 40) el.scrollLeft = Math.max(0, x - visible / 3);
  }, [playhead, zoom]);

  // Tell the engine which span is visible (the preview render covers it).
  useEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const report = () => engine.setViewport(el.scrollLeft / zoom, (el.scrollLeft + el.clientWidth - HEADER_W) / zoom);
    report();
    el.addEventListener("scroll", report, { passive: true });
    window.addEventListener("resize", report);
    return () => {
      el.removeEventListener("scroll", report);
      window.removeEventListener("resize", report);
    };
  }, [engine, zoom]);

  // Ctrl/⌘+wheel zooms the timeline, not the page: React's wheel listeners are passive (their
  // preventDefault is ignored), so this one is added by hand with passive: false.
  useEffect(() => {
    const el = scrollerRef.current;
    if (!el) return;
    const onWheel = (e: WheelEvent) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      engine.setZoom(engine.state.zoom * (e.deltaY < 0 ? 1.15 : 1 / 1.15));
    };
    el.addEventListener("wheel", onWheel, { passive: false });
    return () => el.removeEventListener("wheel", onWheel);
  }, [engine]);

  const timeAtClientX = (clientX: number) => {
    const el = scrollerRef.current;
    if (!el) return 0;
    const rect = el.getBoundingClientRect();
    return Math.max(0, (clientX - rect.left - HEADER_W + el.scrollLeft) / zoom);
  };

  const { drag, beginDrag } = useClipDrag(engine, state, timeAtClientX);
  const marquee = useMarquee(engine, contentRef, timeAtClientX);

  // ----- drops from the media library or the computer: insert by default, overwrite with Alt; below the last track, a new one -----
  function onLaneDragOver(event: DragEvent<HTMLDivElement>, trackId: string | null) {
    if (!Array.from(event.dataTransfer.types).includes(ASSET_DRAG_TYPE) && !(onDropFiles && hasFiles(event))) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    const t = timeAtClientX(event.clientX);
    const snapped = snapSpan(t, 0, snapTargets(doc, new Set(), playhead, sources), SNAP_PX / zoom);
    setDropLine({ trackId, t: snapped.start, overwrite: event.altKey });
  }

  function onLaneDrop(event: DragEvent<HTMLDivElement>, trackId: string | null) {
    const raw = event.dataTransfer.getData(ASSET_DRAG_TYPE);
    const files = onDropFiles && !raw ? Array.from(event.dataTransfer.files) : [];
    setDropLine(null);
    if (!raw && files.length === 0) return;
    event.preventDefault();
    const t = timeAtClientX(event.clientX);
    const snapped = snapSpan(t, 0, snapTargets(doc, new Set(), playhead, sources), SNAP_PX / zoom).start;
    const target: PlaceTarget = { trackId, start: snapped, mode: event.altKey ? "overwrite" : "insert" };
    if (raw) dropAsset(engine, JSON.parse(raw) as Asset, target);
    else onDropFiles?.(files, target);
  }

  const shown = drag?.moved && drag.preview ? drag.preview : doc;
  const blockedClipId = drag?.moved && !drag.preview ? drag.clipId : null;
  const dragReason = drag?.moved && !drag.preview ? drag.reason : null;
  const snapLine = drag?.moved ? drag.line : null;
  const tracksTopDown = [...shown.tracks].map((t, index) => ({ t, index })).reverse();

  return (
    <div className="tl" data-testid="timeline">
      <div
        className="tl__scroller"
        ref={scrollerRef}
      >
        <div className="tl__content" style={{ width: HEADER_W + contentWidth }} ref={contentRef}>
          <div className="tl__ruler-row">
            <div className="tl__corner">
              <span className="tl__timecode" data-testid="playhead-timecode">{timecode(playhead, fps)}</span>
            </div>
            <Ruler zoom={zoom} fps={fps} width={contentWidth} onScrub={(t) => engine.setPlayhead(t)} />
          </div>
          {tracksTopDown.map(({ t: track, index }) => {
            const isLocked = locked.has(track.id);
            return (
              <div key={track.id} className={`tl-track ${track.hidden ? "tl-track--hidden" : ""} ${isLocked ? "tl-track--locked" : ""}`} data-testid="timeline-track" data-track-id={track.id}>
                <TrackHeader engine={engine} track={track} index={index} trackCount={shown.tracks.length} locked={isLocked} />
                <TrackLane
                  engine={engine}
                  track={track}
                  locked={isLocked}
                  zoom={zoom}
                  assetsById={byId}
                  assetsReady={assetsReady}
                  selectedIds={selectedIds}
                  errorsByClip={validation.byClip}
                  blockedClipId={blockedClipId}
                  cutMenu={cutMenu}
                  onCutMenu={setCutMenu}
                  dropAt={dropLine?.trackId === track.id ? dropLine : null}
                  onAssetDragOver={onLaneDragOver}
                  onAssetDragLeave={() => setDropLine(null)}
                  onAssetDrop={onLaneDrop}
                  onClipPointerDown={beginDrag}
                  overlay={<DropPlaceholders drops={pendingDrops.filter((d) => d.trackId === track.id)} zoom={zoom} />}
                  onEmptyPointerDown={marquee.onEmptyLanePointerDown}
                />
              </div>
            );
          })}
          <div
            className={`tl__add-track ${dropLine && dropLine.trackId == null ? "tl__add-track--drop" : ""}`}
            data-testid="new-track-drop"
            onDragOver={(e) => onLaneDragOver(e, null)}
            onDragLeave={() => setDropLine(null)}
            onDrop={(e) => onLaneDrop(e, null)}
          >
            <DropPlaceholders drops={pendingDrops.filter((d) => d.trackId == null)} zoom={zoom} />
            {dropLine && dropLine.trackId == null && <span className="tl__drop-hint">Drop here for a new track</span>}
            <button type="button" className="button button--ghost button--small" onClick={() => engine.addTrack()} data-testid="add-track">+ Add track</button>
          </div>
          <div className="tl__playhead" style={{ left: HEADER_W + playhead * zoom }} data-testid="playhead" aria-hidden="true" />
          {snapLine != null && <div className="tl__snap-line" style={{ left: HEADER_W + snapLine * zoom }} data-testid="snap-line" aria-hidden="true" />}
          {marquee.box && <div className="tl-marquee" style={marquee.box} data-testid="marquee" aria-hidden="true" />}
        </div>
      </div>
      {dragReason && <div className="tl-drag-reason" role="status" data-testid="drag-reason">{dragReason}</div>}
    </div>
  );
}

export { addAssetAtPlayhead } from "../engine/asset-clips";
