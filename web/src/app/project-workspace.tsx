import { useCallback } from "react";
import { MediaLibrary } from "../features/assets/components/media-library";
import { useAssets } from "../features/assets/hooks/use-assets";
import { RenderPanel } from "../features/renders/components/render-panel";
import { SequencePanel } from "../features/sequence/components/sequence-panel";
import { useSequence } from "../features/sequence/hooks/use-sequence";
import type { Project } from "../types/api";

interface ProjectWorkspaceProps {
  project: Project;
}

/** Composes the features for one project; features never import each other, they meet here. */
export function ProjectWorkspace({ project }: ProjectWorkspaceProps) {
  const assets = useAssets(project.id);
  const sequence = useSequence(project.id, assets.assets, assets.status === "ready");
  const { save } = sequence;

  const prepare = useCallback(async () => {
    const timeline = await save();
    if (!timeline) throw new Error("Nothing to render.");
    return timeline.id;
  }, [save]);

  const mainEmpty = sequence.tracks.main.length === 0;
  const disabledReason = sequence.loading ? "Loading the sequence…" : mainEmpty ? "Add clips to the sequence to render it." : null;

  return (
    <div className="workspace" data-testid="workspace" data-project-id={project.id}>
      <div className="workspace__title">
        <h1>{project.name}</h1>
      </div>
      <div className="workspace__grid">
        <MediaLibrary
          projectId={project.id}
          assets={assets.assets}
          status={assets.status}
          error={assets.error}
          onUploaded={assets.add}
          onRetry={() => void assets.reload()}
          onAddToSequence={sequence.add}
        />
        <SequencePanel sequence={sequence} />
        <RenderPanel projectId={project.id} prepare={prepare} disabledReason={disabledReason} />
      </div>
    </div>
  );
}
