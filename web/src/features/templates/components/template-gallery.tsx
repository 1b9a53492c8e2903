import { useState } from "react";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { EmptyState } from "../../../components/empty-state";
import { errorMessage } from "../../../lib/api-client";
import { formatDateTime } from "../../../lib/format";
import { useLoadedList } from "../../../lib/use-loaded-list";
import { notify } from "../../../stores/notifications-store";
import { deleteTemplate, listTemplates, type Template } from "../api/templates";
import type { FrameOf } from "./frame-of";
import { TemplateFrame } from "./template-frame";

/** `#/templates`: the user's templates with a frame each; open one to render it, or delete it. */
export function TemplateGallery({ frameOf, onOpen }: { frameOf: FrameOf; onOpen: (id: string) => void }) {
  const { items, setItems, status, loadError, load } = useLoadedList(listTemplates);
  const [deleting, setDeleting] = useState<Template | null>(null);

  async function remove(template: Template) {
    setDeleting(null);
    try {
      await deleteTemplate(template.id);
      setItems((list) => list.filter((t) => t.id !== template.id));
      notify(`Deleted “${template.name}”.`, "success");
    } catch (err) {
      notify(`Could not delete “${template.name}”: ${errorMessage(err)}`, "error");
    }
  }

  return (
    <div className="page page--wide" data-testid="templates-page">
      <div className="page__head">
        <h1 className="page__title">Templates</h1>
        <p className="muted">A template is a timeline whose <code>{"{{NAME}}"}</code> placeholders become fields. Save one from the editor’s Render tab.</p>
      </div>
      {status === "error" && (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">Could not load the templates: {loadError}</p>
          <button type="button" className="button button--ghost button--small" onClick={() => void load()}>Retry</button>
        </div>
      )}
      {status === "ready" && items.length === 0 && <EmptyState title="No templates yet">Open a project, put <code>{"{{TITLE}}"}</code> in a title and choose “Save as template”.</EmptyState>}
      <ul className="project-grid" aria-busy={status === "loading"}>
        {items.map((t) => (
          <li key={t.id} className="project-card" data-testid="template-card" data-template-id={t.id}>
            <button type="button" className="project-card__thumb" onClick={() => onOpen(t.id)} aria-label={`Open ${t.name}`}>
              <TemplateFrame template={t} frameOf={frameOf} />
            </button>
            <div className="project-card__body">
              <button type="button" className="link-button project-card__name" onClick={() => onOpen(t.id)} data-testid="template-open">{t.name}</button>
              <p className="project-card__meta muted">
                {t.fields.length} field{t.fields.length === 1 ? "" : "s"}: {t.fields.map((f) => f.name).join(", ") || "none"} · {formatDateTime(t.updatedAt)}
              </p>
            </div>
            <div className="project-card__actions">
              <button type="button" className="button button--danger-text button--small" onClick={() => setDeleting(t)} data-testid="template-delete">Delete</button>
            </div>
          </li>
        ))}
      </ul>
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          body="Its renders and batches stay."
          confirmLabel="Delete template"
          onCancel={() => setDeleting(null)}
          onConfirm={() => void remove(deleting)}
        />
      )}
    </div>
  );
}
