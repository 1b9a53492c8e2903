import { useMemo, useState } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import type { Template } from "../../templates/api/templates";
import { checkField, problemKey, problemsByPointer } from "../../templates/lib/field-rules";
import { submitCsv } from "../api/batches";
import { parseCsv, type CsvTable } from "../lib/csv";
import { CsvPreview } from "./csv-preview";

interface BatchUploadProps {
  template: Template;
  onQueued: (batchId: string) => void;
}

/** Problems found in the browser: wrong cell counts and each cell against its field's rules. */
function localProblems(template: Template, table: CsvTable): Map<string, string> {
  const out = new Map<string, string>();
  const fields = new Map(template.fields.map((f) => [f.name, f]));
  table.rows.forEach((row, r) => {
    if (row.length !== table.header.length) out.set(problemKey(r, ""), `Has ${row.length} cells, the header has ${table.header.length}.`);
    table.header.forEach((h, c) => {
      const field = fields.get(h);
      const problem = field ? checkField(field, row[c] ?? "") : null;
      if (problem) out.set(problemKey(r, h), problem);
    });
  });
  for (const field of template.fields) {
    if (field.required && field.default == null && !table.header.includes(field.name)) out.set(problemKey(-1, ""), `The column ${field.name} is required.`);
  }
  return out;
}

/** CSV upload for a batch: a preview of the parsed rows with per-cell problems, a dry run, then the batch. */
export function BatchUpload({ template, onQueued }: BatchUploadProps) {
  const [csv, setCsv] = useState<{ name: string; text: string; table: CsvTable } | null>(null);
  const [serverProblems, setServerProblems] = useState<Map<string, string> | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const local = useMemo(() => (csv ? localProblems(template, csv.table) : new Map<string, string>()), [template, csv]);
  // The server stops at a CSV's structure before checking values: its problems are shown with the browser's, not instead.
  const problems = useMemo(() => (serverProblems == null ? local : serverProblems.size === 0 ? serverProblems : new Map([...local, ...serverProblems])), [local, serverProblems]);
  const unknown = useMemo(() => new Set(csv?.table.header.filter((h) => !template.fields.some((f) => f.name === h)) ?? []), [csv, template]);

  async function choose(file: File | undefined) {
    if (!file) return;
    const text = await file.text();
    setCsv({ name: file.name, text, table: parseCsv(text) });
    setServerProblems(null);
    setMessage(null);
  }

  async function send(dryRun: boolean) {
    if (!csv) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await submitCsv(template.id, csv.text, dryRun);
      setServerProblems(new Map());
      if ("valid" in result) setMessage({ text: `All ${result.rows ?? csv.table.rows.length} rows are valid; nothing was queued.`, error: false });
      else onQueued(result.id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 422) setServerProblems(problemsByPointer(error.details));
      setMessage({ text: errorMessage(error), error: true });
    } finally {
      setBusy(false);
    }
  }

  const general = problems.get(problemKey(-1, ""));
  return (
    <section className="batch-upload" aria-labelledby="batch-upload-title" data-testid="batch-upload">
      <h2 className="subheading" id="batch-upload-title">Batch from a CSV</h2>
      <p className="muted">
        The header row names the fields ({template.fields.map((f) => f.name).join(", ")}); one render per row; an empty cell takes the default.
      </p>
      <input type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} data-testid="csv-input" aria-label="CSV file" />
      {csv && (
        <>
          <p className="muted" data-testid="csv-summary">{csv.name}: {csv.table.rows.length} row{csv.table.rows.length === 1 ? "" : "s"}, columns {csv.table.header.join(", ")}{problems.size > 0 ? ` · ${problems.size} problem${problems.size === 1 ? "" : "s"}` : ""}</p>
          {unknown.size > 0 && <p className="field-error">Not fields of this template: {[...unknown].join(", ")}.</p>}
          {general && <p className="field-error" role="alert">{general}</p>}
          <CsvPreview table={csv.table} problems={problems} unknown={unknown} />
          <div className="form-actions">
            <button type="button" className="button button--secondary" disabled={busy} onClick={() => void send(true)} data-testid="batch-dry-run">Check rows</button>
            <button type="button" className="button button--primary" disabled={busy || csv.table.rows.length === 0} onClick={() => void send(false)} data-testid="batch-submit">Render {csv.table.rows.length} videos</button>
          </div>
        </>
      )}
      {message && <p className={message.error ? "alert alert--error" : "alert"} role="status" data-testid="batch-message">{message.text}</p>}
    </section>
  );
}
