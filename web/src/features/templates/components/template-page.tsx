import { useEffect, useMemo, useState, type FormEvent } from "react";
import { API_BASE, ApiError, errorMessage } from "../../../lib/api-client";
import { followRenderEvents } from "../../../lib/render-events";
import type { Asset, Render } from "../../../types/api";
import { dryRunTemplate, renderTemplate, type Template } from "../api/templates";
import { checkField, problemKey, problemsByPointer, valuesToSend } from "../lib/field-rules";
import { FieldInput } from "./field-input";
import type { FrameOf } from "./frame-of";
import { TemplateFrame } from "./template-frame";

interface TemplatePageProps {
  template: Template;
  frameOf: FrameOf;
  /** The assets that asset fields may name (the template's project's). */
  assets: Asset[];
}

type Outcome = { kind: "checked"; values?: Record<string, string> } | { kind: "render"; render: Partial<Render> & { id: string } } | { kind: "error"; message: string };

/** `#/templates/{id}`: a form generated from the field schema, a dry-run check and one render. */
export function TemplatePage({ template, frameOf, assets }: TemplatePageProps) {
  const [inputs, setInputs] = useState<Record<string, string>>({});
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [serverProblems, setServerProblems] = useState<Map<string, string>>(new Map());
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const localProblems = useMemo(() => new Map(template.fields.map((f) => [f.name, checkField(f, inputs[f.name] ?? "")])), [template.fields, inputs]);
  const renderId = outcome?.kind === "render" ? outcome.render.id : null;

  // The one render's progress, live, until it ends.
  useEffect(() => {
    if (!renderId) return undefined;
    return followRenderEvents(renderId, {
      onEvent: (_name, data) => setOutcome((o) => (o?.kind === "render" && o.render.id === renderId ? { kind: "render", render: { ...o.render, ...data, id: renderId } } : o)),
    });
  }, [renderId]);

  function problemOf(name: string): string | null {
    return serverProblems.get(problemKey(-1, name)) ?? (touched.has(name) ? localProblems.get(name) ?? null : null);
  }

  async function submit(dryRun: boolean, event?: FormEvent) {
    event?.preventDefault();
    setTouched(new Set(template.fields.map((f) => f.name)));
    if ([...localProblems.values()].some((p) => p)) return;
    setBusy(true);
    setServerProblems(new Map());
    const values = valuesToSend(template.fields, inputs);
    try {
      if (dryRun) setOutcome({ kind: "checked", values: (await dryRunTemplate(template.id, values)).values });
      else setOutcome({ kind: "render", render: await renderTemplate(template.id, values) });
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) setServerProblems(problemsByPointer(error.details));
      setOutcome({ kind: "error", message: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  const general = serverProblems.get(problemKey(-1, ""));
  return (
    <div className="template-page" data-testid="template-page" data-template-id={template.id}>
      <div className="template-page__head">
        <div className="template-page__frame"><TemplateFrame template={template} frameOf={frameOf} width={480} /></div>
        <div>
          <h1 className="page__title" data-testid="template-name">{template.name}</h1>
          <p className="muted">{template.fields.length} field{template.fields.length === 1 ? "" : "s"} from its placeholders. Empty inputs take the default.</p>
        </div>
      </div>
      <form className="form-grid" onSubmit={(e) => void submit(false, e)} noValidate data-testid="template-form">
        {template.fields.map((field) => (
          <FieldInput
            key={field.name}
            field={field}
            value={inputs[field.name] ?? ""}
            error={problemOf(field.name)}
            assets={assets}
            onChange={(value) => {
              setInputs((i) => ({ ...i, [field.name]: value }));
              setServerProblems((p) => {
                const next = new Map(p);
                next.delete(problemKey(-1, field.name));
                return next;
              });
            }}
            onBlur={() => setTouched((t) => new Set(t).add(field.name))}
          />
        ))}
        {general && <p className="field-error" role="alert">{general}</p>}
        <div className="form-actions">
          <button type="button" className="button button--secondary" disabled={busy} onClick={() => void submit(true)} data-testid="template-dry-run">Check values</button>
          <button type="submit" className="button button--primary" disabled={busy} data-testid="template-render">Render</button>
        </div>
      </form>
      <OutcomeView outcome={outcome} />
    </div>
  );
}

function OutcomeView({ outcome }: { outcome: Outcome | null }) {
  if (!outcome) return null;
  if (outcome.kind === "error") return <p className="alert alert--error" role="alert" data-testid="template-outcome">{outcome.message}</p>;
  if (outcome.kind === "checked")
    return (
      <div className="alert" role="status" data-testid="template-outcome">
        <p className="alert__title">The values are valid; nothing was rendered.</p>
        {outcome.values && <p className="muted">{Object.entries(outcome.values).map(([k, v]) => `${k} = “${v}”`).join(" · ")}</p>}
      </div>
    );
  const { render } = outcome;
  const done = render.status === "completed";
  return (
    <div className="alert" role="status" data-testid="template-outcome" data-status={render.status}>
      <p className="alert__title">
        Render {render.status ?? "queued"}
        {render.status === "rendering" && render.progress != null ? ` · ${Math.round(render.progress * 100)} %` : ""}
      </p>
      {done && (
        <a className="button button--small button--secondary" href={render.outputUrl || `${API_BASE}/renders/${encodeURIComponent(render.id)}/output`} target="_blank" rel="noreferrer" data-testid="template-render-link">Open the video</a>
      )}
    </div>
  );
}
