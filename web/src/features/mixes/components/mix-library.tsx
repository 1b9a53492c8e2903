import { useEffect, useState } from "react";
import { EmptyState } from "../../../components/empty-state";
import { FilmIcon } from "../../../components/icons";
import type { Asset } from "../../../types/api";
import { AssetCard } from "../../assets/components/asset-card";
import { UploadDropzone } from "../../assets/components/upload-dropzone";
import { UploadList } from "../../assets/components/upload-list";
import { useAssets } from "../../assets/hooks/use-assets";
import { useUploads } from "../../assets/hooks/use-uploads";
import { useProjects } from "../../projects/hooks/use-projects";

interface MixLibraryProps {
  groups: { key: string; name: string }[];
  /** Every video the panel has listed, so the columns can name their clips. */
  onAssets: (assets: Asset[]) => void;
  onAdd: (groupKey: string, asset: Asset) => void;
}

const isVideo = (a: Asset) => a.kind === "video" && a.hasVideo;

/** One project's videos (the user's library is per project): drag one into a column, or add it with the menu under it. */
function ProjectVideos({ projectId, groups, onAssets, onAdd }: MixLibraryProps & { projectId: string }) {
  const { assets, status, error, reload, add } = useAssets(projectId);
  const { uploads, upload, dismiss, cancel } = useUploads(projectId, add);
  const videos = assets.filter(isVideo);
  useEffect(() => onAssets(assets.filter(isVideo)), [assets, onAssets]);

  return (
    <>
      <UploadDropzone onFiles={upload} compact />
      <UploadList uploads={uploads} onDismiss={dismiss} onCancel={cancel} />
      {status === "error" && (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">Could not load the videos: {error}</p>
          <button type="button" className="button button--ghost button--small" onClick={() => void reload()}>Retry</button>
        </div>
      )}
      {status === "loading" && <p className="muted">Loading videos…</p>}
      {status === "ready" && videos.length === 0 && uploads.length === 0 && (
        <EmptyState icon={<FilmIcon size={28} />} title="No videos in this project">Upload clips here, or pick another project.</EmptyState>
      )}
      <ul className="mix-library__list" aria-label="Videos">
        {videos.map((asset) => (
          <li key={asset.id} className="mix-library__item">
            <AssetCard asset={asset} />
            <select
              className="select mix-library__add"
              value=""
              aria-label={`Add ${asset.name} to a group`}
              onChange={(e) => e.target.value && onAdd(e.target.value, asset)}
              data-testid="library-add"
            >
              <option value="">Add to group…</option>
              {groups.map((g) => <option key={g.key} value={g.key}>{g.name || "(unnamed)"}</option>)}
            </select>
          </li>
        ))}
      </ul>
    </>
  );
}

/** The library panel of the mixer: a project's videos, uploads into it. */
export function MixLibrary(props: MixLibraryProps) {
  const { projects, status } = useProjects();
  const [projectId, setProjectId] = useState<string | null>(null);
  const chosen = projects.find((p) => p.id === projectId) ?? projects[0] ?? null;

  return (
    <aside className="mix-library" aria-label="Video library" data-testid="mix-library">
      <div className="mix-library__head">
        <h2 className="pane-title">Library</h2>
        {projects.length > 0 && (
          <select className="select" value={chosen?.id ?? ""} onChange={(e) => setProjectId(e.target.value)} aria-label="Project" data-testid="library-project">
            {projects.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
          </select>
        )}
      </div>
      <div className="mix-library__body">
        {status === "ready" && projects.length === 0 && <EmptyState title="No projects yet">Create a project on the Projects page and upload clips to it.</EmptyState>}
        {chosen && <ProjectVideos key={chosen.id} projectId={chosen.id} {...props} />}
      </div>
    </aside>
  );
}
