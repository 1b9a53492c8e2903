import { useState } from "react";
import { FilmIcon, ImageIcon, MusicIcon, PlusIcon } from "../../../components/icons";
import { assetThumbnailUrl } from "../../../lib/asset-urls";
import { formatBytes, formatDuration } from "../../../lib/format";
import type { Asset } from "../../../types/api";

interface AssetCardProps {
  asset: Asset;
  onAddToSequence?: (asset: Asset) => void;
}

const sequenceKinds = new Set(["video", "image", "audio"]);

/** One uploaded file: thumbnail, name, duration, resolution and an "Add to sequence" action. */
export function AssetCard({ asset, onAddToSequence }: AssetCardProps) {
  const [thumbFailed, setThumbFailed] = useState(false);
  const hasPicture = asset.hasVideo || asset.kind === "image";
  const showThumb = hasPicture && !thumbFailed;
  const resolution = asset.width && asset.height ? `${asset.width}×${asset.height}` : null;
  const addable = sequenceKinds.has(asset.kind);

  return (
    <article className="asset-card" data-testid="asset-card" data-asset-id={asset.id} aria-label={asset.name}>
      <div className={`asset-card__thumb asset-card__thumb--${asset.kind}`}>
        {showThumb ? (
          <img src={assetThumbnailUrl(asset.id)} alt="" loading="lazy" onError={() => setThumbFailed(true)} />
        ) : (
          <span className="asset-card__placeholder" aria-hidden="true">
            {asset.kind === "audio" ? <MusicIcon size={28} /> : asset.kind === "image" ? <ImageIcon size={28} /> : <FilmIcon size={28} />}
          </span>
        )}
        {asset.duration != null && asset.kind !== "image" && (
          <span className="asset-card__duration" data-testid="asset-duration">{formatDuration(asset.duration)}</span>
        )}
        <span className="asset-card__kind">{asset.kind}</span>
      </div>
      <div className="asset-card__body">
        <p className="asset-card__name" title={asset.name}>{asset.name}</p>
        <p className="asset-card__meta">
          {[asset.kind !== "image" && asset.duration != null ? formatDuration(asset.duration) : null, resolution, formatBytes(asset.size)]
            .filter(Boolean)
            .join(" · ")}
        </p>
        {onAddToSequence && (
          <button
            type="button"
            className="button button--secondary button--small button--block"
            onClick={() => onAddToSequence(asset)}
            disabled={!addable}
            title={addable ? `Add ${asset.name} to the sequence` : "Only video, image and audio files go in the sequence"}
            data-testid="add-to-sequence"
          >
            <PlusIcon /> Add to sequence
          </button>
        )}
      </div>
    </article>
  );
}
