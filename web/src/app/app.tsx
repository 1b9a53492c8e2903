import { useEffect } from "react";
import { EmptyState } from "../components/empty-state";
import { FolderIcon, LogoIcon } from "../components/icons";
import { Toaster } from "../components/toaster";
import { SignInForm } from "../features/auth/components/sign-in-form";
import { ProjectSidebar } from "../features/projects/components/project-sidebar";
import { useProjects } from "../features/projects/hooks/use-projects";
import { setUnauthorizedHandler } from "../lib/api-client";
import { useStore } from "../lib/create-store";
import { selectedProjectStore, selectProject, sessionStore } from "../stores/session-store";
import { ProjectWorkspace } from "./project-workspace";

/** Header, project sidebar and the selected project's workspace. */
export function App() {
  const { signInRequired } = useStore(sessionStore);
  const selectedId = useStore(selectedProjectStore);
  const { projects, status, reload } = useProjects();

  useEffect(() => {
    setUnauthorizedHandler(() => sessionStore.set({ signInRequired: true }));
    return () => setUnauthorizedHandler(null);
  }, []);

  // Drop a remembered selection that no longer exists (deleted, or another user's).
  useEffect(() => {
    if (status === "ready" && selectedId && !projects.some((p) => p.id === selectedId)) selectProject(null);
  }, [status, selectedId, projects]);

  if (signInRequired) {
    return (
      <SignInForm
        onSignedIn={() => {
          sessionStore.set({ signInRequired: false });
          void reload();
        }}
      />
    );
  }

  const project = projects.find((p) => p.id === selectedId) ?? null;

  return (
    <div className="app">
      <header className="app-header">
        <a className="brand" href="/" aria-label="Cutroom home">
          <LogoIcon />
          <span className="brand__name">Cutroom</span>
        </a>
        {project && (
          <nav className="breadcrumb" aria-label="Breadcrumb">
            <span className="breadcrumb__sep" aria-hidden="true">/</span>
            <span className="breadcrumb__current">{project.name}</span>
          </nav>
        )}
        <span className="app-header__spacer" />
        <a className="header-link" href="/api/v1/openapi.yaml" target="_blank" rel="noreferrer">API</a>
      </header>
      <div className="app-body">
        <ProjectSidebar selectedId={selectedId} onSelect={selectProject} />
        <main className="app-main" id="main">
          {project ? (
            <ProjectWorkspace key={project.id} project={project} />
          ) : (
            <div className="welcome">
              <EmptyState icon={<FolderIcon />} title={projects.length ? "Pick a project" : "Create your first project"}>
                Projects hold your media, your sequence and its renders. {projects.length ? "Choose one on the left." : "Give it a name on the left to start."}
              </EmptyState>
            </div>
          )}
        </main>
      </div>
      <Toaster />
    </div>
  );
}
