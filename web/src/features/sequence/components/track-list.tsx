import { useState, type DragEvent } from "react";
import { DownIcon, FilmIcon, GripIcon, ImageIcon, MusicIcon, TrashIcon, UpIcon } from "../../../components/icons";
import { assetThumbnailUrl } from "../../../lib/asset-urls";
import { formatDuration } from "../../../lib/format";
import { placeClips, type SequenceItem } from "../utils/sequence-document";

interface TrackListProps {
  label: string;
  items: SequenceItem[];
  emptyText: string;
  onMove: (from: number, to: number) => void;
  onRemove: (key: string) => void;
}

// A private MIME type so the media drop zone and other lists ignore these drags.
const DRAG_TYPE = "application/x-cutroom-sequence-item";

/** An ordered list of clips: drag to reorder, or use the move buttons from the keyboard. */
export function TrackList({ label, items, emptyText, onMove, onRemove }: TrackListProps) {
  const [dragIndex, setDragIndex] = useState<number | null>(null);
  const [dropIndex, setDropIndex] = useState<number | null>(null);
  const placed = placeClips(items);

  function handleDragOver(event: DragEvent<HTMLLIElement>, index: number) {
    if (dragIndex == null || !Array.from(event.dataTransfer.types).includes(DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    const rect = event.currentTarget.getBoundingClientRect();
    const after = event.clientY > rect.top + rect.height / 2;
    setDropIndex(after ? index + 1 : index);
  }

  function handleDrop(event: DragEvent) {
    if (dragIndex == null || dropIndex == null) return;
    event.preventDefault();
    // dropIndex is a gap index; removing the dragged item first shifts later gaps by one.
    const to = dropIndex > dragIndex ? dropIndex - 1 : dropIndex;
    onMove(dragIndex, to);
    setDragIndex(null);
    setDropIndex(null);
  }

  if (items.length === 0) {
    return <p className="track-empty">{emptyText}</p>;
  }

  return (
    <ol className="track-list" aria-label={label} onDrop={handleDrop}>
      {placed.map(({ item, startMs, lengthMs }, index) => {
        const { asset } = item;
        const picture = asset.hasVideo || asset.kind === "image";
        const classes = [
          "sequence-item",
          dragIndex === index ? "sequence-item--dragging" : "",
          dropIndex === index && dragIndex !== index && dragIndex !== index - 1 ? "sequence-item--drop-before" : "",
          dropIndex === index + 1 && index === items.length - 1 && dragIndex !== index ? "sequence-item--drop-after" : "",
        ].join(" ");
        return (
          <li
            key={item.key}
            className={classes}
            draggable
            data-testid="sequence-item"
            data-asset-id={asset.id}
            onDragStart={(e) => {
              e.dataTransfer.setData(DRAG_TYPE, item.key);
              e.dataTransfer.effectAllowed = "move";
              setDragIndex(index);
            }}
            onDragEnd={() => {
              setDragIndex(null);
              setDropIndex(null);
            }}
            onDragOver={(e) => handleDragOver(e, index)}
          >
            <span className="sequence-item__grip" aria-hidden="true"><GripIcon /></span>
            <span className="sequence-item__index" aria-hidden="true">{index + 1}</span>
            <span className="sequence-item__thumb" aria-hidden="true">
              {picture ? (
                <img src={assetThumbnailUrl(asset.id)} alt="" loading="lazy" />
              ) : asset.kind === "audio" ? (
                <MusicIcon />
              ) : asset.kind === "image" ? (
                <ImageIcon />
              ) : (
                <FilmIcon />
              )}
            </span>
            <span className="sequence-item__text">
              <span className="sequence-item__name" title={asset.name}>{asset.name}</span>
              <span className="sequence-item__time">
                {formatDuration(startMs / 1000)} → {formatDuration((startMs + lengthMs) / 1000)}
                <span className="sequence-item__length"> · {formatDuration(lengthMs / 1000)}</span>
              </span>
            </span>
            <span className="sequence-item__actions">
              <button type="button" className="icon-button" aria-label={`Move ${asset.name} up`} title="Move up"
                disabled={index === 0} onClick={() => onMove(index, index - 1)} data-testid="sequence-move-up">
                <UpIcon />
              </button>
              <button type="button" className="icon-button" aria-label={`Move ${asset.name} down`} title="Move down"
                disabled={index === items.length - 1} onClick={() => onMove(index, index + 1)} data-testid="sequence-move-down">
                <DownIcon />
              </button>
              <button type="button" className="icon-button icon-button--danger" aria-label={`Remove ${asset.name}`} title="Remove"
                onClick={() => onRemove(item.key)} data-testid="sequence-remove">
                <TrashIcon />
              </button>
            </span>
          </li>
        );
      })}
    </ol>
  );
}
