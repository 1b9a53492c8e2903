import { useEffect, useMemo, useRef, useState, type DragEvent } from "react";
import { ASSET_DRAG_TYPE } from "../../../lib/drag-types";
import type { Asset } from "../../../types/api";
import * as edits from "../engine/edits";
import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { fpsOf, timecode } from "../engine/model";
import { snapSpan, snapTargets } from "../engine/snap";
import { SNAP_PX, useClipDrag } from "../hooks/use-clip-drag";
import type { ValidationResult } from "../hooks/use-validation";
import { Ruler } from "./ruler";
import { TrackHeader } from "./track-header";
import { TrackLane } from "./track-lane";

const HEADER_W = 184;

interface TimelineEditorProps {
  engine: EditorEngine;
  state: EditorState;
  assets: Asset[];
  validation: ValidationResult;
}

/** Tracks, clips, ruler, playhead and snap line; pointer drags for move and trim, drops from the library. */
export function TimelineEditor({ engine, state, assets, validation }: TimelineEditorProps) {
  const { doc, zoom, playhead, selection, locked } = state;
  const fps = fpsOf(doc);
  const byId = useMemo(() => new Map(assets.map((a) => [a.id, a])), [assets]);
  const [dropLine, setDropLine] = useState<{ trackId: string; t: number } | null>(null);
  const [cutMenu, setCutMenu] = useState<string | null>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
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

  const timeAtClientX = (clientX: number) => {
    const el = scrollerRef.current;
    if (!el) return 0;
    const rect = el.getBoundingClientRect();
    return Math.max(0, (clientX - rect.left - HEADER_W + el.scrollLeft) / zoom);
  };

  const { drag, beginDrag } = useClipDrag(engine, state, timeAtClientX);

  // ----- drops from the media library -----
  function onLaneDragOver(event: DragEvent<HTMLDivElement>, trackId: string) {
    if (!Array.from(event.dataTransfer.types).includes(ASSET_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    const t = timeAtClientX(event.clientX);
    const snapped = snapSpan(t, 0, snapTargets(doc, new Set(), playhead, sources), SNAP_PX / zoom);
    setDropLine({ trackId, t: snapped.start });
  }

  function onLaneDrop(event: DragEvent<HTMLDivElement>, trackId: string) {
    const raw = event.dataTransfer.getData(ASSET_DRAG_TYPE);
    setDropLine(null);
    if (!raw) return;
    event.preventDefault();
    const asset = JSON.parse(raw) as Asset;
    const t = timeAtClientX(event.clientX);
    const snapped = snapSpan(t, 0, snapTargets(doc, new Set(), playhead, sources), SNAP_PX / zoom).start;
    addAssetClip(engine, asset, trackId, snapped);
  }

  const shown = drag?.moved && drag.preview ? drag.preview : doc;
  const blockedClipId = drag?.moved && !drag.preview ? drag.clipId : null;
  const snapLine = drag?.moved ? drag.line : null;
  const tracksTopDown = [...shown.tracks].map((t, index) => ({ t, index })).reverse();

  return (
    <div className="tl" data-testid="timeline">
      <div
        className="tl__scroller"
        ref={scrollerRef}
        onWheel={(e) => {
          if (e.ctrlKey || e.metaKey) {
            e.preventDefault();
            engine.setZoom(zoom * (e.deltaY < 0 ? 1.15 : 1 / 1.15));
          }
        }}
      >
        <div className="tl__content" style={{ width: HEADER_W + contentWidth }}>
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
                  selection={selection}
                  errorsByClip={validation.byClip}
                  blockedClipId={blockedClipId}
                  cutMenu={cutMenu}
                  onCutMenu={setCutMenu}
                  dropAt={dropLine?.trackId === track.id ? dropLine.t : null}
                  onAssetDragOver={onLaneDragOver}
                  onAssetDragLeave={() => setDropLine(null)}
                  onAssetDrop={onLaneDrop}
                  onClipPointerDown={beginDrag}
                  timeAtClientX={timeAtClientX}
                />
              </div>
            );
          })}
          <div className="tl__add-track">
            <button type="button" className="button button--ghost button--small" onClick={() => engine.addTrack()} data-testid="add-track">+ Add track</button>
          </div>
          <div className="tl__playhead" style={{ left: HEADER_W + playhead * zoom }} data-testid="playhead" aria-hidden="true" />
          {snapLine != null && <div className="tl__snap-line" style={{ left: HEADER_W + snapLine * zoom }} data-testid="snap-line" aria-hidden="true" />}
        </div>
      </div>
    </div>
  );
}

/** Adds an uploaded asset as a clip: its whole duration (images: 5 s; captions: up to their last cue). */
export function addAssetClip(engine: EditorEngine, asset: Asset, trackId: string, start: number): string | null {
  const type = asset.kind === "font" ? null : asset.kind;
  if (!type) {
    engine.run("Add clip", () => {
      throw new edits.EditRejected(`${asset.name}: a font is used from a text clip's Font file, not placed on the timeline.`);
    });
    return null;
  }
  const length = type === "image" ? 5 : type === "captions" ? Math.max(1, asset.duration ?? 10) : asset.duration ?? 0;
  return engine.addClip(trackId, { asset: { type, src: `asset:${asset.id}` }, start, length });
}
