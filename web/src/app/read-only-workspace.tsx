import { ProjectRenders } from "../features/renders/components/project-renders";
import { PreviewPanel } from "../features/timeline/components/preview-panel";
import { TimelineOverview } from "../features/timeline/components/timeline-overview";
import type { EditorEngine, EditorState } from "../features/timeline/engine/editor-engine";
import { timecode } from "../features/timeline/engine/model";
import type { Project } from "../types/api";
import "./read-only.css";

/** Below this width the editor cannot be used: the project is shown read-only. */
export const READ_ONLY_QUERY = "(max-width: 719.98px)";

interface ReadOnlyWorkspaceProps {
  project: Project;
  engine: EditorEngine;
  state: EditorState;
  playback: { playing: boolean; rate: number; toggle: () => void; setRate: (r: number) => void };
}

/** A project on a phone: the preview with play, the timecode, the timeline at a glance (tap to seek) and its renders. Nothing edits. */
export function ReadOnlyWorkspace({ project, engine, state, playback }: ReadOnlyWorkspaceProps) {
  return (
    <div className="readonly" data-testid="workspace" data-read-only="true" data-project-id={project.id}>
      <p className="readonly__note" role="note" data-testid="read-only-note">
        View only: editing needs a larger screen (at least 720 px wide).
      </p>
      <PreviewPanel engine={engine} state={state} playback={playback} />
      <section className="readonly__section" aria-label="Timeline">
        <header className="readonly__heading">
          <h2 className="pane-title">Timeline</h2>
          <span className="readonly__timecode" data-testid="playhead-timecode">{timecode(state.playhead, engine.fps)}</span>
        </header>
        <TimelineOverview engine={engine} state={state} />
      </section>
      <section className="readonly__section" aria-label="Renders">
        <h2 className="pane-title">Renders</h2>
        <ProjectRenders projectId={project.id} />
      </section>
    </div>
  );
}
