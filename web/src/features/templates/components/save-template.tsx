import { useState } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import { createTemplate, type Template } from "../api/templates";
import { describeRules } from "../lib/field-rules";

interface SaveTemplateProps {
  /** Saves the timeline now and resolves to its id. */
  save: () => Promise<string>;
  defaultName: string;
  onOpen: (id: string) => void;
}

/** “Save as template” in the editor: the saved timeline becomes a template; the fields derived from its placeholders are shown. */
export function SaveTemplate({ save, defaultName, onOpen }: SaveTemplateProps) {
  const [name, setName] = useState(defaultName);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<Template | null>(null);
  const [error, setError] = useState<string[] | null>(null);

  async function run() {
    setBusy(true);
    setError(null);
    try {
      setSaved(await createTemplate(await save(), name.trim() || defaultName));
    } catch (err) {
      setSaved(null);
      setError([errorMessage(err), ...(err instanceof ApiError ? err.details.map((d) => `${d.path ?? ""} ${d.message}`.trim()) : [])]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="save-template" aria-labelledby="save-template-title" data-testid="save-template">
      <h3 className="subheading" id="save-template-title">Template</h3>
      <p className="muted">Put <code>{"{{NAME}}"}</code> in any text, colour or source: each becomes a field to fill per render.</p>
      <div className="input-row">
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} aria-label="Template name" data-testid="template-name-input" />
        <button type="button" className="button button--secondary" disabled={busy} onClick={() => void run()} data-testid="save-as-template">Save as template</button>
      </div>
      {error && (
        <div className="alert alert--error" role="alert">
          {error.map((line, i) => <p key={i}>{line}</p>)}
        </div>
      )}
      {saved && (
        <div className="alert" role="status" data-testid="template-saved" data-template-id={saved.id}>
          <p className="alert__title">Saved “{saved.name}” with {saved.fields.length} field{saved.fields.length === 1 ? "" : "s"}</p>
          <ul className="template-fields">
            {saved.fields.map((f) => (
              <li key={f.name} data-testid="derived-field"><code>{f.name}</code> <span className="muted">{describeRules(f)}</span></li>
            ))}
          </ul>
          <button type="button" className="button button--small button--primary" onClick={() => onOpen(saved.id)} data-testid="open-template">Open template</button>
        </div>
      )}
    </section>
  );
}
