import { useEffect, useState, type FormEvent } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { EmptyState } from "../../../components/empty-state";
import { FilmIcon, FolderIcon, PlusIcon, TrashIcon } from "../../../components/icons";
import { errorMessage } from "../../../lib/api-client";
import { formatDateTime } from "../../../lib/format";
import { notify } from "../../../stores/notifications-store";
import type { Project } from "../../../types/api";
import { latestRenderUrl } from "../api/projects";
import { useProjects } from "../hooks/use-projects";

interface ProjectDashboardProps {
  onOpen: (id: string) => void;
}

/** All projects as cards (the latest render as thumbnail): search, create, rename, delete. */
export function ProjectDashboard({ onOpen }: ProjectDashboardProps) {
  const { projects, status, error, create, rename, remove, reload } = useProjects();
  const [query, setQuery] = useState("");
  const [name, setName] = useState("");
  const [creating, setCreating] = useState(false);
  const [confirming, setConfirming] = useState<Project | null>(null);
  const shown = projects.filter((p) => p.name.toLowerCase().includes(query.trim().toLowerCase()));

  async function handleCreate(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    setCreating(true);
    try {
      const project = await create(trimmed);
      setName("");
      onOpen(project.id);
    } catch (err) {
      notify(`Could not create the project: ${errorMessage(err)}`, "error");
    } finally {
      setCreating(false);
    }
  }

  return (
    <div className="dashboard" data-testid="dashboard">
      <div className="dashboard__head">
        <div>
          <h1 className="dashboard__title">Projects</h1>
          <p className="muted">{projects.length} {projects.length === 1 ? "project" : "projects"}</p>
        </div>
        <span className="app-header__spacer" />
        <input className="input dashboard__search" type="search" placeholder="Search projects" aria-label="Search projects" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="project-search" />
        <form className="dashboard__create" onSubmit={(e) => void handleCreate(e)}>
          <input className="input" placeholder="New project name" aria-label="New project name" value={name} onChange={(e) => setName(e.target.value)} data-testid="project-create-input" maxLength={200} />
          <button type="submit" className="button button--primary" disabled={!name.trim() || creating} data-testid="project-create-button"><PlusIcon /> Create</button>
        </form>
      </div>
      {status === "error" && error && (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">Could not load projects: {error}</p>
          <button type="button" className="button button--ghost button--small" onClick={() => void reload()}>Retry</button>
        </div>
      )}
      {status === "ready" && projects.length === 0 && (
        <EmptyState icon={<FolderIcon />} title="Create your first project">Projects hold your media, your timeline and its renders.</EmptyState>
      )}
      {projects.length > 0 && shown.length === 0 && <p className="muted">No project matches “{query}”.</p>}
      <ul className="project-grid" aria-label="Projects">
        {shown.map((p) => (
          <ProjectCard key={p.id} project={p} onOpen={() => onOpen(p.id)} onRename={(n) => rename(p.id, n)} onDelete={() => setConfirming(p)} />
        ))}
      </ul>
      {confirming && (
        <ConfirmDialog
          title={`Delete “${confirming.name}”?`}
          body="Its media, timeline and renders are deleted for good."
          confirmLabel="Delete project"
          onCancel={() => setConfirming(null)}
          onConfirm={async () => {
            const target = confirming;
            setConfirming(null);
            try {
              await remove(target.id);
              notify(`Deleted “${target.name}”.`, "success");
            } catch (err) {
              notify(`Could not delete: ${errorMessage(err)}`, "error");
            }
          }}
        />
      )}
    </div>
  );
}

function ProjectCard({ project, onOpen, onRename, onDelete }: { project: Project; onOpen: () => void; onRename: (name: string) => Promise<void>; onDelete: () => void }) {
  const [thumb, setThumb] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    let alive = true;
    latestRenderUrl(project.id).then((url) => alive && setThumb(url)).catch(() => undefined);
    return () => {
      alive = false;
    };
  }, [project.id]);

  return (
    <li className="project-card" data-testid="project-card" data-project-id={project.id}>
      <button type="button" className="project-card__thumb" onClick={onOpen} aria-label={`Open ${project.name}`} data-testid="project-open">
        {thumb ? <video src={`${thumb}#t=0.5`} preload="metadata" muted playsInline tabIndex={-1} /> : <span className="project-card__placeholder"><FilmIcon size={30} /></span>}
      </button>
      <div className="project-card__body">
        {editing ? (
          <input
            className="input"
            defaultValue={project.name}
            autoFocus
            aria-label="Project name"
            data-testid="project-rename-input"
            onKeyDown={(e) => {
              if (e.key === "Escape") setEditing(false);
              if (e.key === "Enter") e.currentTarget.blur();
            }}
            onBlur={(e) => {
              const next = e.currentTarget.value.trim();
              setEditing(false);
              if (next && next !== project.name) onRename(next).catch((err) => notify(`Rename failed: ${errorMessage(err)}`, "error"));
            }}
          />
        ) : (
          <p className="project-card__name" title={project.name}>
            <button type="button" className="project-card__open" onClick={onOpen} data-testid="project-item">{project.name}</button>
          </p>
        )}
        <p className="project-card__meta muted">{formatDateTime(project.updatedAt ?? project.createdAt)}</p>
        <div className="project-card__actions">
          <button type="button" className="link-button" onClick={() => setEditing(true)} data-testid="project-rename">Rename</button>
          <button type="button" className="icon-button icon-button--danger" onClick={onDelete} aria-label={`Delete ${project.name}`} data-testid="project-delete"><TrashIcon /></button>
        </div>
      </div>
    </li>
  );
}
