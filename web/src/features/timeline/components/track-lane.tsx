import { useState, type DragEvent, type PointerEvent, type ReactNode } from "react";
import type { Asset } from "../../../types/api";
import type { Clip, Track } from "../../../types/timeline";
import type { EditorEngine } from "../engine/editor-engine";
import { clipEnd, clipLength, fpsOf, sortClips } from "../engine/model";
import type { DragMode } from "../hooks/use-clip-drag";
import { selectOnKeyboardFocus } from "../hooks/use-selection-focus";
import { ClipView } from "./clip-view";
import { RelinkMenu } from "./relink-menu";
import { TransitionMenu } from "./transition-menu";

interface TrackLaneProps {
  engine: EditorEngine;
  track: Track;
  locked: boolean;
  zoom: number;
  assetsById: ReadonlyMap<string, Asset>;
  /** The library has loaded: a clip whose asset it lacks is missing (drawn red, with Relink…). */
  assetsReady: boolean;
  /** Every selected clip (several with Shift/Ctrl-click or a marquee). */
  selectedIds: readonly string[];
  errorsByClip: ReadonlyMap<string, string[]>;
  /** The clip being dragged where the engine refuses the edit, shown as a blocked ghost. */
  blockedClipId: string | null;
  /** The clip whose cut has its transition menu open (one menu across all lanes). */
  cutMenu: string | null;
  onCutMenu: (clipId: string | null) => void;
  /** Where a library asset would land if dropped on this lane now (Alt: overwriting). */
  dropAt: { t: number; overwrite: boolean } | null;
  onAssetDragOver: (event: DragEvent<HTMLDivElement>, trackId: string | null) => void;
  onAssetDragLeave: () => void;
  onAssetDrop: (event: DragEvent<HTMLDivElement>, trackId: string | null) => void;
  onClipPointerDown: (event: PointerEvent<HTMLElement>, clip: Clip, trackId: string, mode: DragMode) => void;
  /** Drawn over the lane's clips (placeholders of files being uploaded here). */
  overlay?: ReactNode;
  /** A press on the lane itself (not a clip): a click seeks, a drag draws a marquee (hooks/use-marquee.ts). */
  onEmptyPointerDown: (event: PointerEvent<HTMLElement>) => void;
}

function assetIdOf(clip: Clip): string | null {
  return clip.asset.src?.startsWith("asset:") ? clip.asset.src.slice(6) : null;
}

function assetName(clip: Clip, byId: ReadonlyMap<string, Asset>): string {
  if (clip.asset.type === "text") return clip.asset.text ?? "Text";
  if (clip.asset.type === "color") return clip.asset.color ?? "Colour";
  const id = clip.asset.src?.startsWith("asset:") ? clip.asset.src.slice(6) : "";
  return byId.get(id)?.name ?? clip.asset.src ?? clip.id;
}

/** One track's clips with their transitions and the cut buttons between touching clips; a drop target for the library. */
export function TrackLane(props: TrackLaneProps) {
  const { engine, track, locked, zoom, assetsById, selectedIds, errorsByClip, blockedClipId, cutMenu, onCutMenu, dropAt } = props;
  const sources = engine.sources;
  const sorted = sortClips(track).clips;
  const fps = fpsOf(engine.state.doc);
  const sourceDuration = (clip: Clip) => (clip.asset.src ? sources[clip.asset.src] ?? null : null);
  const [relink, setRelink] = useState<{ clipId: string; anchor: HTMLElement } | null>(null);
  const isMissing = (clip: Clip) => {
    const id = assetIdOf(clip);
    return props.assetsReady && id != null && !assetsById.has(id);
  };
  return (
    <div
      className="tl-track__lane"
      data-testid="track-lane"
      onDragOver={(e) => props.onAssetDragOver(e, track.id)}
      onDragLeave={props.onAssetDragLeave}
      onDrop={(e) => props.onAssetDrop(e, track.id)}
      onPointerDown={(e) => {
        if (e.target === e.currentTarget) props.onEmptyPointerDown(e);
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
              hasAudio={assetsById.get(clip.asset.src?.replace(/^asset:/, "") ?? "")?.hasAudio}
              label={isMissing(clip) ? `Missing: ${clip.asset.src}` : assetName(clip, assetsById)}
              missing={isMissing(clip)}
              onRelink={(anchor) => setRelink({ clipId: clip.id, anchor })}
              selected={selectedIds.includes(clip.id)}
              errors={errorsByClip.get(clip.id)}
              locked={locked}
              ghost={blockedClipId === clip.id ? "blocked" : undefined}
              onPointerDown={(e, mode) => props.onClipPointerDown(e, clip, track.id, mode)}
              onSelect={() => selectOnKeyboardFocus(engine, clip.id)}
              fps={fps}
              onSetFade={(edge, seconds) => engine.setFade(clip.id, edge, seconds)}
              onSeek={(t) => engine.setPlayhead(t)}
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
            {cut && !locked && (
              <button
                type="button"
                className="tl-cut"
                style={{ left: clip.start * zoom }}
                aria-label={`Transition between ${previous.id} and ${clip.id}`}
                aria-expanded={cutMenu === clip.id}
                data-testid="cut-button"
                data-clip-id={clip.id}
                onClick={() => onCutMenu(cutMenu === clip.id ? null : clip.id)}
              >
                ⧓
              </button>
            )}
            {relink?.clipId === clip.id && (
              <RelinkMenu
                anchor={relink.anchor}
                clip={clip}
                assets={[...assetsById.values()]}
                onChoose={(asset) => {
                  engine.updateClip(clip.id, { asset: { ...clip.asset, src: `asset:${asset.id}` } }, `Relink ${clip.id}`);
                  setRelink(null);
                }}
                onClose={() => setRelink(null)}
              />
            )}
            {cutMenu === clip.id && (
              <TransitionMenu
                anchor={document.querySelector<HTMLElement>(`[data-testid="cut-button"][data-clip-id="${CSS.escape(clip.id)}"]`)}
                current={clip.transition?.type ?? null}
                onChoose={(type) => {
                  engine.setTransition(clip.id, type, clip.transition?.duration ?? 1);
                  onCutMenu(null);
                }}
                onClose={() => onCutMenu(null)}
              />
            )}
          </div>
        );
      })}
      {props.overlay}
      {dropAt != null && (
        <div className={`tl-drop-line ${dropAt.overwrite ? "tl-drop-line--overwrite" : ""}`} style={{ left: dropAt.t * zoom }} data-testid="drop-line">
          <span className="tl-drop-line__label">{dropAt.overwrite ? "Overwrite" : "Insert"}</span>
        </div>
      )}
    </div>
  );
}
