import { useCallback, useMemo, useState } from "react";
import { MediaLibrary } from "../features/assets/components/media-library";
import { useAssets } from "../features/assets/hooks/use-assets";
import { useUploads } from "../features/assets/hooks/use-uploads";
import { RenderPanel } from "../features/renders/components/render-panel";
import { SaveTemplate } from "../features/templates/components/save-template";
import { PanelDivider } from "../features/timeline/components/panel-divider";
import { ConflictBanner } from "../features/timeline/components/conflict-banner";
import { PreviewPanel } from "../features/timeline/components/preview-panel";
import { PropertiesPanel } from "../features/timeline/components/properties-panel";
import { addAssetAtPlayhead, TimelineEditor } from "../features/timeline/components/timeline-editor";
import { ShortcutSheet } from "../features/timeline/components/shortcut-sheet";
import { TimelineToolbar } from "../features/timeline/components/timeline-toolbar";
import { usePanelResize } from "../features/timeline/hooks/use-panel-resize";
import { useFileDrops } from "../features/timeline/hooks/use-file-drops";
import { useEditorShortcuts } from "../features/timeline/hooks/use-editor-shortcuts";
import { usePlayback } from "../features/timeline/hooks/use-playback";
import { useTimelineSession } from "../features/timeline/hooks/use-timeline-session";
import { useValidation } from "../features/timeline/hooks/use-validation";
import { useMediaQuery } from "../lib/use-media-query";
import { navigate } from "../stores/route-store";
import type { Asset, Project } from "../types/api";
import { READ_ONLY_QUERY, ReadOnlyWorkspace } from "./read-only-workspace";

interface ProjectWorkspaceProps {
  project: Project;
}

/** The editor for one project: library | preview | inspector above the timeline. Features meet here, never in each other. */
export function ProjectWorkspace({ project }: ProjectWorkspaceProps) {
  const assets = useAssets(project.id);
  const session = useTimelineSession(project.id, assets.assets, assets.status === "ready");
  const { engine, state, save } = session;
  const playback = usePlayback(engine);
  const [help, setHelp] = useState(false);
  const openHelp = useCallback(() => setHelp(true), []);
  const readOnly = useMediaQuery(READ_ONLY_QUERY);
  useEditorShortcuts(engine, playback, openHelp, !readOnly);
  const validation = useValidation(state.doc, save.status !== "loading");
  const panel = usePanelResize();
  // One upload pipeline for the library and files dropped on the timeline (both listed in the library).
  const uploader = useUploads(project.id, assets.add);
  const fileDrops = useFileDrops(engine, uploader);
  const [side, setSide] = useState<"properties" | "render">("properties");

  const addToTimeline = useCallback((asset: Asset) => addAssetAtPlayhead(engine, asset), [engine]);

  const empty = state.doc.tracks.every((t) => t.clips.length === 0);
  const disabledReason = save.status === "loading" ? "Loading the timeline…" : empty ? "Add clips to the timeline to render it." : null;
  const selectedErrors = state.selection ? validation.byClip.get(state.selection) : undefined;
  const fonts = useMemo(
    () => assets.assets.filter((a) => a.kind === "font").map((a) => ({ id: a.id, name: a.name, family: a.fontFamily ?? null })),
    [assets.assets],
  );

  if (readOnly) return <ReadOnlyWorkspace project={project} engine={engine} state={state} playback={playback} />;
  return (
    <div className={`editor ${panel.className}`} style={panel.style} data-testid="workspace" data-project-id={project.id}>
      <MediaLibrary
        assets={assets.assets}
        status={assets.status}
        error={assets.error}
        uploader={uploader}
        onRetry={() => void assets.reload()}
        onAdd={addToTimeline}
        onDeleted={assets.remove}
      />
      <PreviewPanel engine={engine} state={state} playback={playback} />
      <aside className="inspector" aria-label="Inspector">
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={side === "properties"} className={`tabs__tab ${side === "properties" ? "tabs__tab--on" : ""}`} onClick={() => setSide("properties")} data-testid="tab-properties">Properties</button>
          <button type="button" role="tab" aria-selected={side === "render"} className={`tabs__tab ${side === "render" ? "tabs__tab--on" : ""}`} onClick={() => setSide("render")} data-testid="tab-render">Render</button>
        </div>
        <div className="inspector__body" role="tabpanel">
          {side === "properties" ? (
            <PropertiesPanel engine={engine} state={state} errors={selectedErrors} fonts={fonts} />
          ) : (
            <>
              <RenderPanel projectId={project.id} save={session.flush} getDocument={() => engine.state.doc} disabledReason={disabledReason} />
              {!disabledReason && <SaveTemplate save={session.flush} defaultName={project.name} onOpen={(id) => navigate({ name: "template", id })} />}
            </>
          )}
        </div>
      </aside>
      <div className="editor__timeline">
        <PanelDivider {...panel.divider} />
        <ConflictBanner save={save} onReload={() => void session.reloadTheirs()} onOverwrite={() => void session.overwrite()} generalProblems={validation.general} />
        <TimelineToolbar engine={engine} state={state} save={save} problemCount={validation.count} onHelp={openHelp} />
        <TimelineEditor engine={engine} state={state} assets={assets.assets} assetsReady={assets.status === "ready"} validation={validation} onDropFiles={fileDrops.dropFiles} pendingDrops={fileDrops.pending} />
      </div>
      {help && <ShortcutSheet onClose={() => setHelp(false)} />}
    </div>
  );
}
