import { useState } from "react";
import { DownloadIcon } from "../../../components/icons";
import type { Render } from "../../../types/api";
import { renderOutputUrl } from "../api/renders";
import { useRenderHistory } from "../hooks/use-render-history";
import { RenderHistory } from "./render-history";

/** The project's renders to watch or download, without starting new ones (the phone's read-only view). */
export function ProjectRenders({ projectId }: { projectId: string }) {
  const history = useRenderHistory(projectId);
  const [shown, setShown] = useState<Render | null>(null);
  const playable = shown?.status === "completed" ? shown : null;
  const isGif = playable ? renderOutputUrl(playable).endsWith(".gif") || playable.format === "gif" : false;
  return (
    <div className="render-panel" data-testid="project-renders">
      {playable && (
        <div className="player">
          {isGif ? (
            <img className="player__video" src={renderOutputUrl(playable)} alt="Rendered GIF" />
          ) : (
            <video key={playable.id} className="player__video" controls playsInline preload="metadata" src={renderOutputUrl(playable)} data-testid="render-video" />
          )}
          <a className="button button--secondary button--small" href={renderOutputUrl(playable)} download data-testid="render-download">
            <DownloadIcon /> Download
          </a>
        </div>
      )}
      <RenderHistory renders={history.renders} currentId={shown?.id ?? null} error={history.error} onShow={setShown} />
    </div>
  );
}
