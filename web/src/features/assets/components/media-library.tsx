import { EmptyState } from "../../../components/empty-state";
import { FilmIcon } from "../../../components/icons";
import { Panel } from "../../../components/panel";
import type { Asset } from "../../../types/api";
import { useUploads } from "../hooks/use-uploads";
import { AssetCard } from "./asset-card";
import { UploadDropzone } from "./upload-dropzone";
import { UploadList } from "./upload-list";

interface MediaLibraryProps {
  projectId: string;
  assets: Asset[];
  status: "loading" | "ready" | "error";
  error: string | null;
  onUploaded: (asset: Asset) => void;
  onRetry: () => void;
  onAddToSequence: (asset: Asset) => void;
}

/** Upload zone, per-file progress and the grid of the project's assets. */
export function MediaLibrary({ projectId, assets, status, error, onUploaded, onRetry, onAddToSequence }: MediaLibraryProps) {
  const { uploads, upload, dismiss } = useUploads(projectId, onUploaded);

  return (
    <Panel
      title="Media library"
      subtitle={status === "ready" ? `${assets.length} ${assets.length === 1 ? "file" : "files"}` : undefined}
      className="media-library"
      testId="media-library"
    >
      <UploadDropzone onFiles={upload} compact={assets.length > 0} />
      <UploadList uploads={uploads} onDismiss={dismiss} />
      {status === "error" && (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">Could not load the media: {error}</p>
          <button type="button" className="button button--ghost button--small" onClick={onRetry}>Retry</button>
        </div>
      )}
      {status === "loading" && <p className="muted">Loading media…</p>}
      {status === "ready" && assets.length === 0 && uploads.length === 0 && (
        <EmptyState icon={<FilmIcon size={28} />} title="No media yet">Upload clips, music or stills to start cutting.</EmptyState>
      )}
      {assets.length > 0 && (
        <div className="asset-grid" data-testid="asset-grid">
          {assets.map((asset) => (
            <AssetCard key={asset.id} asset={asset} onAddToSequence={onAddToSequence} />
          ))}
        </div>
      )}
    </Panel>
  );
}
