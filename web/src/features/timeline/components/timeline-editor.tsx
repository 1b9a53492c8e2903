import { useEffect, useMemo, useRef, useState, type DragEvent, type PointerEvent } from "react";
import { ASSET_DRAG_TYPE } from "../../../lib/drag-types";
import type { Asset } from "../../../types/api";
import { TRANSITION_TYPES, type Clip, type TimelineDocument, type TransitionType } from "../../../types/timeline";
import type { EditorEngine, EditorState } from "../engine/editor-engine";
import * as edits from "../engine/edits";
import { clipEnd, clipLength, fpsOf, sortClips, timecode } from "../engine/model";
import { snapSpan, snapTargets } from "../engine/snap";
import type { ValidationResult } from "../hooks/use-validation";
import { ClipView, type DragMode } from "./clip-view";
import { Ruler } from "./ruler";


const HEADER_W = 184;
const SNAP_PX = 8;

interface Drag {
  clipId: string;
  mode: DragMode;
  pointerId: number;
  originX: number;
  moved: boolean;
  /** Result of the edit if dropped now (computed by the pure engine), or null if refused. */
  preview: TimelineDocument | null;
  trackId: string;
  line: number | null;
}

interface TimelineEditorProps {
  engine: EditorEngine;
  state: EditorState;
  assets: Asset[];
  validation: ValidationResult;
}

function assetName(clip: Clip, byId: Map<string, Asset>): string {
  if (clip.asset.type === "text") return clip.asset.text ?? "Text";
  if (clip.asset.type === "color") return clip.asset.color ?? "Colour";
  const id = clip.asset.src?.startsWith("asset:") ? clip.asset.src.slice(6) : "";
  return byId.get(id)?.name ?? clip.asset.src ?? clip.id;
}

/** Tracks, clips, ruler, playhead and snap line; pointer drags for move and trim, drops from the library. */
export function TimelineEditor({ engine, state, assets, validation }: TimelineEditorProps) {
  const { doc, zoom, playhead, selection, locked } = state;
  const fps = fpsOf(doc);
  const byId = useMemo(() => new Map(assets.map((a) => [a.id, a])), [assets]);
  const [drag, setDrag] = useState<Drag | null>(null);
  const [dropLine, setDropLine] = useState<{ trackId: string; t: number } | null>(null);
  const [cutMenu, setCutMenu] = useState<string | null>(null);
  const scrollerRef = useRef<HTMLDivElement>(null);
  const sources = engine.sources;
  const duration = engine.duration;
  const contentWidth = Math.max(((duration + 10) * zoom), 1200);

  const sourceDuration = (clip: Clip) => (clip.asset.src ? sources[clip.asset.src] ?? null : null);
  const ctx = { sources, locked };

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

  const trackAtClientY = (clientX: number, clientY: number, fallback: string) => {
    const el = document.elementFromPoint(clientX, clientY)?.closest("[data-track-id]");
    return el?.getAttribute("data-track-id") ?? fallback;
  };

  function computeDrag(d: Drag, clientX: number, clientY: number): Drag {
    const found = doc.tracks.flatMap((t) => t.clips.map((c) => ({ t, c }))).find((x) => x.c.id === d.clipId);
    if (!found) return d;
    const { c: clip, t: track } = found;
    const dt = (clientX - d.originX) / zoom;
    const targets = snapTargets(doc, new Set([clip.id]), playhead, sources);
    const threshold = SNAP_PX / zoom;
    const length = clipLength(clip, sources);
    let preview: TimelineDocument | null = null;
    let line: number | null = null;
    let trackId = track.id;
    try {
      if (d.mode === "move") {
        trackId = trackAtClientY(clientX, clientY, d.trackId);
        const snapped = snapSpan(clip.start + dt, length, targets, threshold);
        line = snapped.line;
        preview = edits.moveClip(doc, clip.id, snapped.start, ctx, trackId);
      } else if (d.mode === "trim-start") {
        const snapped = snapSpan(clip.start + dt, 0, targets, threshold);
        line = snapped.line;
        preview = edits.trimStart(doc, clip.id, snapped.start, ctx);
      } else {
        const snapped = snapSpan(clipEnd(clip, sources) + dt, 0, targets, threshold);
        line = snapped.line;
        preview = edits.trimEnd(doc, clip.id, snapped.start, ctx);
      }
    } catch {
      preview = null;
    }
    return { ...d, moved: d.moved || Math.abs(clientX - d.originX) > 2, preview, line, trackId };
  }

  function beginDrag(event: PointerEvent<HTMLElement>, clip: Clip, trackId: string, mode: DragMode) {
    if (event.button !== 0) return;
    engine.select(clip.id);
    if (locked.has(trackId)) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    setDrag({ clipId: clip.id, mode, pointerId: event.pointerId, originX: event.clientX, moved: false, preview: doc, trackId, line: null });
  }

  useEffect(() => {
    if (!drag) return;
    const move = (e: globalThis.PointerEvent) => {
      if (e.pointerId === drag.pointerId) setDrag((d) => (d ? computeDrag(d, e.clientX, e.clientY) : d));
    };
    const up = (e: globalThis.PointerEvent) => {
      if (e.pointerId !== drag.pointerId) return;
      const final = computeDrag(drag, e.clientX, e.clientY);
      setDrag(null);
      if (!final.moved) return;
      const clip = final.preview ? final.preview.tracks.flatMap((t) => t.clips).find((c) => c.id === drag.clipId) : null;
      if (!clip) {
        // Replaying the refused edit on the engine records nothing and shows the reason.
        if (drag.mode === "move") engine.moveClip(drag.clipId, timeAtClientX(e.clientX), final.trackId);
        return;
      }
      if (drag.mode === "move") engine.moveClip(clip.id, clip.start, final.trackId);
      else if (drag.mode === "trim-start") engine.trimStart(clip.id, clip.start);
      else engine.trimEnd(clip.id, clip.start + (clip.length ?? 0));
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
    window.addEventListener("pointercancel", up);
    return () => {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      window.removeEventListener("pointercancel", up);
    };
  });

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
  const ghostBlocked = drag?.moved && !drag.preview;
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
            const sorted = sortClips(track).clips;
            return (
              <div key={track.id} className={`tl-track ${track.hidden ? "tl-track--hidden" : ""} ${isLocked ? "tl-track--locked" : ""}`} data-testid="timeline-track" data-track-id={track.id}>
                <div className="tl-track__header">
                  <input
                    className="tl-track__name"
                    defaultValue={track.name ?? track.id}
                    key={track.name ?? track.id}
                    aria-label="Track name"
                    onBlur={(e) => e.currentTarget.value !== (track.name ?? track.id) && engine.setTrackFlags(track.id, { name: e.currentTarget.value })}
                    onKeyDown={(e) => e.key === "Enter" && e.currentTarget.blur()}
                  />
                  <div className="tl-track__buttons">
                    <button type="button" className={`tl-toggle ${track.muted ? "tl-toggle--on" : ""}`} aria-pressed={!!track.muted} title="Mute" aria-label={`Mute ${track.name ?? track.id}`} data-testid="track-mute" onClick={() => engine.setTrackFlags(track.id, { muted: !track.muted })}>M</button>
                    <button type="button" className={`tl-toggle ${track.hidden ? "tl-toggle--on" : ""}`} aria-pressed={!!track.hidden} title="Hide" aria-label={`Hide ${track.name ?? track.id}`} data-testid="track-hide" onClick={() => engine.setTrackFlags(track.id, { hidden: !track.hidden })}>H</button>
                    <button type="button" className={`tl-toggle ${isLocked ? "tl-toggle--on" : ""}`} aria-pressed={isLocked} title="Lock" aria-label={`Lock ${track.name ?? track.id}`} data-testid="track-lock" onClick={() => engine.toggleLock(track.id)}>L</button>
                    <button type="button" className="tl-toggle" title="Move up" aria-label="Move track up" disabled={index === shown.tracks.length - 1} onClick={() => engine.reorderTrack(track.id, 1)}>▲</button>
                    <button type="button" className="tl-toggle" title="Move down" aria-label="Move track down" disabled={index === 0} onClick={() => engine.reorderTrack(track.id, -1)}>▼</button>
                    <button type="button" className="tl-toggle tl-toggle--danger" title="Remove track" aria-label="Remove track" data-testid="track-remove" onClick={() => {
                      if (track.clips.length === 0 || window.confirm(`Remove “${track.name ?? track.id}” and its ${track.clips.length} clips?`)) engine.removeTrack(track.id);
                    }}>×</button>
                  </div>
                </div>
                <div
                  className="tl-track__lane"
                  data-testid="track-lane"
                  onDragOver={(e) => onLaneDragOver(e, track.id)}
                  onDragLeave={() => setDropLine(null)}
                  onDrop={(e) => onLaneDrop(e, track.id)}
                  onPointerDown={(e) => {
                    if (e.target === e.currentTarget) {
                      engine.select(null);
                      engine.setPlayhead(timeAtClientX(e.clientX));
                    }
                  }}
                >
                  {sorted.map((clip, i) => {
                    const previous = sorted[i - 1];
                    const cut = previous && Math.abs(clipEnd(previous, sources) - clip.start) < 1e-6;
                    return (
                      <div key={clip.id} className="tl-clip-slot">
                        <ClipView
                          clip={clip}
                          left={clip.start * zoom}
                          width={clipLength(clip, sources) * zoom}
                          zoom={zoom}
                          sourceDuration={sourceDuration(clip)}
                          hasAudio={byId.get(clip.asset.src?.replace(/^asset:/, "") ?? "")?.hasAudio}
                          label={assetName(clip, byId)}
                          selected={selection === clip.id}
                          errors={validation.byClip.get(clip.id)}
                          locked={isLocked}
                          ghost={drag?.moved && drag.clipId === clip.id && ghostBlocked ? "blocked" : undefined}
                          onPointerDown={(e, mode) => beginDrag(e, clip, track.id, mode)}
                          onSelect={() => engine.select(clip.id)}
                          onEditText={(text) => text !== clip.asset.text && engine.updateClip(clip.id, { asset: { ...clip.asset, text } }, "Edit title text")}
                        />
                        {clip.transition && (
                          <div
                            className="tl-transition"
                            style={{ left: (clip.start - clip.transition.duration / 2) * zoom, width: clip.transition.duration * zoom }}
                            title={`${clip.transition.type} ${clip.transition.duration}s`}
                            data-testid="timeline-transition"
                            data-type={clip.transition.type}
                          >
                            <span>{clip.transition.type}</span>
                          </div>
                        )}
                        {cut && !isLocked && (
                          <button
                            type="button"
                            className="tl-cut"
                            style={{ left: clip.start * zoom }}
                            aria-label={`Transition between ${previous.id} and ${clip.id}`}
                            aria-expanded={cutMenu === clip.id}
                            data-testid="cut-button"
                            data-clip-id={clip.id}
                            onClick={() => setCutMenu(cutMenu === clip.id ? null : clip.id)}
                          >
                            ⧓
                          </button>
                        )}
                        {cutMenu === clip.id && (
                          <TransitionMenu
                            left={clip.start * zoom}
                            current={clip.transition?.type ?? null}
                            onChoose={(type) => {
                              engine.setTransition(clip.id, type, clip.transition?.duration ?? 1);
                              setCutMenu(null);
                            }}
                            onClose={() => setCutMenu(null)}
                          />
                        )}
                      </div>
                    );
                  })}
                  {dropLine?.trackId === track.id && <div className="tl-drop-line" style={{ left: dropLine.t * zoom }} />}
                </div>
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

function TransitionMenu({ left, current, onChoose, onClose }: { left: number; current: TransitionType | null; onChoose: (t: TransitionType | null) => void; onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector("button")?.focus();
    const onDown = (e: globalThis.PointerEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose();
    };
    window.addEventListener("pointerdown", onDown);
    return () => window.removeEventListener("pointerdown", onDown);
  }, [onClose]);
  return (
    <div className="tl-menu" style={{ left }} ref={ref} role="menu" aria-label="Transitions" data-testid="transition-menu" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      {TRANSITION_TYPES.map((type) => (
        <button key={type} type="button" role="menuitemradio" aria-checked={current === type} className={`tl-menu__item ${current === type ? "tl-menu__item--on" : ""}`} data-testid={`transition-option-${type}`} onClick={() => onChoose(type)}>
          {type}
        </button>
      ))}
      {current && (
        <button type="button" role="menuitem" className="tl-menu__item tl-menu__item--danger" onClick={() => onChoose(null)}>Remove</button>
      )}
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
