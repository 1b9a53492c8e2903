import { useState } from "react";
import { EmptyState } from "../../../components/empty-state";
import { FilmIcon } from "../../../components/icons";
import type { Asset, AssetKind } from "../../../types/api";
import type { Uploader } from "../hooks/use-uploads";
import { AssetCard, timelineKinds } from "./asset-card";
import { DeleteAssetDialog } from "./delete-asset-dialog";
import { SourceViewer } from "./source-viewer";
import { UploadDropzone } from "./upload-dropzone";
import { UploadList } from "./upload-list";

interface MediaLibraryProps {
  assets: Asset[];
  status: "loading" | "ready" | "error";
  error: string | null;
  /** Uploads (shared with files dropped on the timeline, so both show here with their progress). */
  uploader: Uploader;
  onRetry: () => void;
  onAdd: (asset: Asset) => void;
  onDeleted: (asset: Asset) => void;
}

const FILTERS: { value: AssetKind | "all"; label: string }[] = [
  { value: "all", label: "All" },
  { value: "video", label: "Video" },
  { value: "audio", label: "Audio" },
  { value: "image", label: "Images" },
];

/** Upload zone, per-file progress and the project's assets; drag an asset onto a track. */
export function MediaLibrary({ assets, status, error, uploader, onRetry, onAdd, onDeleted }: MediaLibraryProps) {
  const [deleting, setDeleting] = useState<Asset | null>(null);
  const [viewing, setViewing] = useState<Asset | null>(null);
  const { uploads, upload, dismiss, cancel } = uploader;
  const [filter, setFilter] = useState<AssetKind | "all">("all");
  const shown = filter === "all" ? assets : assets.filter((a) => a.kind === filter);

  return (
    <section className="library" aria-label="Media library" data-testid="media-library">
      <header className="library__header">
        <h2 className="pane-title">Media <span className="pane-title__count">{status === "ready" ? assets.length : ""}</span></h2>
        <div className="segmented" role="radiogroup" aria-label="Filter by type">
          {FILTERS.map((f) => (
            <button key={f.value} type="button" role="radio" aria-checked={filter === f.value} className={`segmented__item ${filter === f.value ? "segmented__item--on" : ""}`} onClick={() => setFilter(f.value)} data-testid={`filter-${f.value}`}>
              {f.label}
            </button>
          ))}
        </div>
      </header>
      <div className="library__body">
        <UploadDropzone onFiles={upload} compact />
        <UploadList uploads={uploads} onDismiss={dismiss} onCancel={cancel} />
        {status === "error" && (
          <div className="alert alert--error" role="alert">
            <p className="alert__title">Could not load the media: {error}</p>
            <button type="button" className="button button--ghost button--small" onClick={onRetry}>Retry</button>
          </div>
        )}
        {status === "loading" && <p className="muted">Loading media…</p>}
        {status === "ready" && assets.length === 0 && uploads.length === 0 && (
          <EmptyState icon={<FilmIcon size={28} />} title="No media yet">Drop clips, music or stills here.</EmptyState>
        )}
        {shown.length > 0 && (
          <div className="asset-grid" data-testid="asset-grid">
            {shown.map((asset) => <AssetCard key={asset.id} asset={asset} onAdd={onAdd} onDelete={setDeleting} onOpen={setViewing} />)}
          </div>
        )}
        {assets.length > 0 && shown.length === 0 && <p className="muted">No {filter} files.</p>}
      </div>
      {viewing && <SourceViewer key={viewing.id} asset={viewing} onAdd={timelineKinds.has(viewing.kind) ? onAdd : undefined} onClose={() => setViewing(null)} />}
      {deleting && <DeleteAssetDialog asset={deleting} onDeleted={onDeleted} onClose={() => setDeleting(null)} />}
    </section>
  );
}
