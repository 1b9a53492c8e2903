import { useEffect } from "react";
import { LogoIcon } from "../components/icons";
import { Toaster } from "../components/toaster";
import { SignInForm } from "../features/auth/components/sign-in-form";
import { ProjectDashboard } from "../features/projects/components/project-dashboard";
import { useProjects } from "../features/projects/hooks/use-projects";
import { setUnauthorizedHandler } from "../lib/api-client";
import { useStore } from "../lib/create-store";
import { selectedProjectStore, selectProject, sessionStore } from "../stores/session-store";
import { ProjectWorkspace } from "./project-workspace";

/** Header, then the projects dashboard or the open project's editor. */
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

  useEffect(() => {
    const onHash = () => {
      const match = window.location.hash.match(/^#\/projects\/([^/]+)/);
      selectedProjectStore.set(match ? decodeURIComponent(match[1]) : null);
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

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
        <a className="brand" href="#" onClick={(e) => { e.preventDefault(); selectProject(null); }} aria-label="Cutroom projects">
          <LogoIcon />
          <span className="brand__name">Cutroom</span>
        </a>
        <nav className="breadcrumb" aria-label="Breadcrumb">
          <span className="breadcrumb__sep" aria-hidden="true">/</span>
          {project ? (
            <>
              <button type="button" className="breadcrumb__link" onClick={() => selectProject(null)} data-testid="back-to-projects">Projects</button>
              <span className="breadcrumb__sep" aria-hidden="true">/</span>
              <span className="breadcrumb__current" data-testid="project-title">{project.name}</span>
            </>
          ) : (
            <span className="breadcrumb__current">Projects</span>
          )}
        </nav>
        <span className="app-header__spacer" />
        <a className="header-link" href="/api/v1/openapi.yaml" target="_blank" rel="noreferrer">API</a>
      </header>
      <main className="app-main" id="main">
        {project ? <ProjectWorkspace key={project.id} project={project} /> : selectedId && status !== "ready" ? null : <ProjectDashboard onOpen={selectProject} />}
      </main>
      <Toaster />
    </div>
  );
}
