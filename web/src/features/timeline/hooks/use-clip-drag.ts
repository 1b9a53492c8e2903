import { useEffect, useState, type PointerEvent } from "react";
import type { Clip, TimelineDocument } from "../../../types/timeline";
import * as edits from "../engine/edits";
import { moveClips } from "../engine/selection";
import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { clipEnd, clipLength } from "../engine/model";
import { snapSpan, snapTargets } from "../engine/snap";

/** How far (in pixels) an edge jumps to a snap target. */
export const SNAP_PX = 8;

export type DragMode = "move" | "trim-start" | "trim-end";

export interface ClipDrag {
  clipId: string;
  mode: DragMode;
  pointerId: number;
  originX: number;
  moved: boolean;
  /** Result of the edit if dropped now (computed by the pure engine), or null if refused. */
  preview: TimelineDocument | null;
  trackId: string;
  line: number | null;
  /** A group move: the selected clips all move with this one (by `dt` seconds and `dTrack` tracks). */
  group: readonly string[] | null;
  dt: number;
  dTrack: number;
  /** Why the engine refuses the edit if dropped now (shown next to the pointer). */
  reason: string | null;
}

/** A modifier click adds the clip to the selection or takes it out (Shift, Ctrl, ⌘). */
export function isToggleClick(event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): boolean {
  return event.shiftKey || event.ctrlKey || event.metaKey;
}

function trackAtClientY(clientX: number, clientY: number, fallback: string): string {
  const el = document.elementFromPoint(clientX, clientY)?.closest("[data-track-id]");
  return el?.getAttribute("data-track-id") ?? fallback;
}

/**
 * Pointer drags that move a clip or trim one of its edges. While dragging, the pure engine
 * computes the edit on every move (snapped to edges and the playhead), so the view can show
 * the result or a refusal; on release the same edit is made on the engine, as one undo step.
 */
export function useClipDrag(engine: EditorEngine, state: EditorState, timeAtClientX: (clientX: number) => number) {
  const { doc, zoom, playhead, locked } = state;
  const sources = engine.sources;
  const ctx = { sources, locked };
  const [drag, setDrag] = useState<ClipDrag | null>(null);

  function computeDrag(d: ClipDrag, clientX: number, clientY: number): ClipDrag {
    const found = doc.tracks.flatMap((t) => t.clips.map((c) => ({ t, c }))).find((x) => x.c.id === d.clipId);
    if (!found) return d;
    const { c: clip, t: track } = found;
    const dt = (clientX - d.originX) / zoom;
    const targets = snapTargets(doc, new Set(d.group ?? [clip.id]), playhead, sources);
    const threshold = SNAP_PX / zoom;
    const length = clipLength(clip, sources);
    let preview: TimelineDocument | null = null;
    let line: number | null = null;
    let trackId = track.id;
    let dtMoved = 0;
    let dTrack = 0;
    let reason: string | null = null;
    try {
      if (d.mode === "move" && d.group) {
        // Snapped by the grabbed clip's edges, like a single move; every selected clip follows.
        trackId = trackAtClientY(clientX, clientY, d.trackId);
        const snapped = snapSpan(clip.start + dt, length, targets, threshold);
        line = snapped.line;
        dtMoved = snapped.start - clip.start;
        dTrack = Math.max(0, doc.tracks.findIndex((t) => t.id === trackId)) - doc.tracks.indexOf(track);
        preview = moveClips(doc, d.group, dtMoved, dTrack, ctx);
      } else if (d.mode === "move") {
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
    } catch (error) {
      preview = null;
      reason = error instanceof edits.EditRejected ? error.message : null;
    }
    return { ...d, moved: d.moved || Math.abs(clientX - d.originX) > 2, preview, line, trackId, dt: dtMoved, dTrack, reason };
  }

  function beginDrag(event: PointerEvent<HTMLElement>, clip: Clip, trackId: string, mode: DragMode) {
    if (event.button !== 0) return;
    if (isToggleClick(event)) {
      event.preventDefault();
      engine.toggleSelect(clip.id);
      return;
    }
    // Grabbing a clip of a multi-selection keeps the selection (a drag moves them all); a click without moving selects it alone.
    const selected = engine.state.selectedIds;
    const group = mode === "move" && selected.length > 1 && selected.includes(clip.id) ? selected : null;
    if (!group) engine.select(clip.id);
    if (locked.has(trackId)) return;
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    setDrag({ clipId: clip.id, mode, pointerId: event.pointerId, originX: event.clientX, moved: false, preview: doc, trackId, line: null, group, dt: 0, dTrack: 0, reason: null });
  }

  // Re-subscribed on every render so the handlers see the current document, zoom and playhead.
  useEffect(() => {
    if (!drag) return;
    const move = (e: globalThis.PointerEvent) => {
      if (e.pointerId === drag.pointerId) setDrag((d) => (d ? computeDrag(d, e.clientX, e.clientY) : d));
    };
    const up = (e: globalThis.PointerEvent) => {
      if (e.pointerId !== drag.pointerId) return;
      const final = computeDrag(drag, e.clientX, e.clientY);
      setDrag(null);
      if (!final.moved) {
        if (drag.group) engine.select(drag.clipId);
        return;
      }
      if (drag.group) {
        // Refused: the engine records nothing and shows the reason.
        engine.moveSelection(final.dt, final.dTrack);
        return;
      }
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

  return { drag, beginDrag };
}
