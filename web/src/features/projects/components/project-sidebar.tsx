import { useState, type FormEvent } from "react";
import { FolderIcon, PlusIcon } from "../../../components/icons";
import { errorMessage } from "../../../lib/api-client";
import { useProjects } from "../hooks/use-projects";

interface ProjectSidebarProps {
  selectedId: string | null;
  onSelect: (id: string) => void;
}

/** Left column: create a project, pick one. */
export function ProjectSidebar({ selectedId, onSelect }: ProjectSidebarProps) {
  const { projects, status, error, create, reload } = useProjects();
  const [name, setName] = useState("");
  const [creating, setCreating] = useState(false);
  const [createError, setCreateError] = useState<string | null>(null);

  async function handleSubmit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed || creating) return;
    setCreating(true);
    setCreateError(null);
    try {
      const project = await create(trimmed);
      setName("");
      onSelect(project.id);
    } catch (err) {
      setCreateError(errorMessage(err));
    } finally {
      setCreating(false);
    }
  }

  return (
    <aside className="sidebar" aria-label="Projects">
      <form className="sidebar__form" onSubmit={handleSubmit}>
        <label htmlFor="project-name" className="field-label">New project</label>
        <div className="input-row">
          <input
            id="project-name"
            className="input"
            placeholder="Project name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            data-testid="project-create-input"
          />
          <button
            type="submit"
            className="button button--primary button--icon"
            disabled={!name.trim() || creating}
            aria-label="Create project"
            title="Create project"
            data-testid="project-create-button"
          >
            <PlusIcon />
          </button>
        </div>
        {createError && <p className="field-error" role="alert">{createError}</p>}
      </form>

      <h2 className="sidebar__heading">Projects</h2>
      {status === "loading" && <p className="muted sidebar__note">Loading…</p>}
      {status === "error" && error && (
        <div className="sidebar__note">
          <p className="field-error">Could not load projects: {error}</p>
          <button type="button" className="button button--ghost button--small" onClick={() => void reload()}>Retry</button>
        </div>
      )}
      {status === "ready" && projects.length === 0 && <p className="muted sidebar__note">No projects yet. Name one above.</p>}
      <ul className="project-list" data-testid="project-list">
        {projects.map((project) => (
          <li key={project.id}>
            <button
              type="button"
              className={`project-item ${project.id === selectedId ? "project-item--active" : ""}`}
              aria-current={project.id === selectedId ? "page" : undefined}
              onClick={() => onSelect(project.id)}
              data-testid="project-item"
              data-project-id={project.id}
            >
              <FolderIcon />
              <span className="project-item__name">{project.name}</span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
