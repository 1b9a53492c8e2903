import { useState } from "react";
import { FilmIcon, ImageIcon, MusicIcon, PlusIcon, TextIcon, TrashIcon } from "../../../components/icons";
import { assetThumbnailUrl } from "../../../lib/asset-urls";
import { ASSET_DRAG_TYPE } from "../../../lib/drag-types";
import { formatBytes, formatDuration } from "../../../lib/format";
import type { Asset } from "../../../types/api";

interface AssetCardProps {
  asset: Asset;
  onAdd?: (asset: Asset) => void;
  onDelete?: (asset: Asset) => void;
  /** Click or Enter on the card: play the source (source-viewer.tsx). */
  onOpen?: (asset: Asset) => void;
}

/** Kinds that become clips (a font is used from a text clip instead). */
export const timelineKinds: ReadonlySet<string> = new Set(["video", "image", "audio", "captions"]);

/** One uploaded file: thumbnail, name, duration, resolution, codec; drag it onto a track or press “Add”; click it to play the source. */
export function AssetCard({ asset, onAdd, onDelete, onOpen }: AssetCardProps) {
  const [thumbFailed, setThumbFailed] = useState(false);
  const hasPicture = asset.hasVideo || asset.kind === "image";
  const showThumb = hasPicture && !thumbFailed;
  const resolution = asset.width && asset.height ? `${asset.width}×${asset.height}` : null;
  const addable = timelineKinds.has(asset.kind);
  const codec = [asset.videoCodec, asset.audioCodec].filter(Boolean).join(" / ") || null;

  return (
    <article
      className="asset-card"
      data-testid="asset-card"
      data-asset-id={asset.id}
      data-kind={asset.kind}
      aria-label={asset.name}
      draggable={addable}
      tabIndex={onOpen ? 0 : undefined}
      aria-haspopup={onOpen ? "dialog" : undefined}
      title={onOpen ? `Play ${asset.name} (Enter)` : undefined}
      onClick={(e) => {
        // The card's own buttons (add, delete) do their own thing.
        if (onOpen && !(e.target instanceof Element && e.target.closest("button"))) onOpen(asset);
      }}
      onKeyDown={(e) => {
        if (onOpen && e.target === e.currentTarget && e.key === "Enter") {
          e.preventDefault();
          onOpen(asset);
        }
      }}
      onDragStart={(e) => {
        e.dataTransfer.setData(ASSET_DRAG_TYPE, JSON.stringify(asset));
        e.dataTransfer.setData("text/plain", asset.name);
        e.dataTransfer.effectAllowed = "copy";
      }}
    >
      <div className={`asset-card__thumb asset-card__thumb--${asset.kind}`}>
        {showThumb ? (
          <img src={assetThumbnailUrl(asset.id)} alt="" loading="lazy" draggable={false} onError={() => setThumbFailed(true)} />
        ) : (
          <span className="asset-card__placeholder" aria-hidden="true">
            {asset.kind === "audio" ? <MusicIcon size={28} /> : asset.kind === "image" ? <ImageIcon size={28} /> : asset.kind === "font" || asset.kind === "captions" ? <TextIcon size={28} /> : <FilmIcon size={28} />}
          </span>
        )}
        {asset.duration != null && asset.kind !== "image" && (
          <span className="asset-card__duration" data-testid="asset-duration">{formatDuration(asset.duration)}</span>
        )}
        <span className="asset-card__kind">{asset.kind}</span>
        {onAdd && addable && (
          <button type="button" className="asset-card__add" onClick={() => onAdd(asset)} aria-label={`Add ${asset.name} to the timeline at the playhead`} title="Add to the timeline at the playhead" data-testid="add-to-timeline">
            <PlusIcon />
          </button>
        )}
        {onDelete && (
          <button type="button" className="asset-card__delete" onClick={() => onDelete(asset)} aria-label={`Delete ${asset.name}`} title="Delete from the project" data-testid="delete-asset">
            <TrashIcon />
          </button>
        )}
      </div>
      <div className="asset-card__body">
        <p className="asset-card__name" title={asset.name}>{asset.name}</p>
        <p className="asset-card__meta">
          {[asset.fontFamily, resolution, codec, formatBytes(asset.size)].filter(Boolean).join(" · ")}
        </p>
      </div>
    </article>
  );
}
