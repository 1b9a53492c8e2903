import type { FieldValue, TemplateField } from "../api/templates";

/**
 * The field's rules checked in the browser before asking the server (which checks them again):
 * an empty value falls back to the default; required, maxLength, pattern (whole value), min/max,
 * a number that is a number and a colour that is a colour. Null when the value is fine.
 */
export function checkField(field: TemplateField, raw: string): string | null {
  const value = raw === "" && field.default != null ? String(field.default) : raw;
  if (value === "") return field.required ? "Required." : null;
  switch (field.type) {
    case "number": {
      const n = Number(value);
      if (!Number.isFinite(n)) return "Must be a number.";
      if (field.min != null && n < field.min) return `At least ${field.min}.`;
      if (field.max != null && n > field.max) return `At most ${field.max}.`;
      return null;
    }
    case "color":
      return /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(value) ? null : "A colour #RRGGBB or #RRGGBBAA.";
    case "text":
      if (field.maxLength != null && [...value].length > field.maxLength) return `At most ${field.maxLength} characters.`;
      if (field.pattern) {
        try {
          if (!new RegExp(`^(?:${field.pattern})$`, "u").test(value)) return `Must match ${field.pattern}.`;
        } catch {
          // A pattern JavaScript cannot read: the server is the judge.
        }
      }
      return null;
    case "asset":
      return null;
  }
}

/** The rules in words, shown under the input. */
export function describeRules(field: TemplateField): string {
  const parts: string[] = [field.type === "asset" ? `${field.kind ?? "any"} asset` : field.type];
  if (field.required) parts.push("required");
  if (field.maxLength != null) parts.push(`≤ ${field.maxLength} chars`);
  if (field.pattern) parts.push(`pattern ${field.pattern}`);
  if (field.min != null) parts.push(`min ${field.min}`);
  if (field.max != null) parts.push(`max ${field.max}`);
  if (field.default != null && field.default !== "") parts.push(`default “${field.default}”`);
  return parts.join(" · ");
}

/** The values to send: empty inputs are left out (the server applies the defaults), numbers as numbers. */
export function valuesToSend(fields: TemplateField[], inputs: Record<string, string>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const field of fields) {
    const raw = inputs[field.name] ?? "";
    if (raw === "") continue;
    out[field.name] = field.type === "number" && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return out;
}

/**
 * The server's 422 details as messages per field and row: `/values/TITLE` → row -1, `/rows/3/TITLE`
 * → row 3, `/rows/3` (the row itself) → field "".
 */
export function problemsByPointer(details: { path?: string; message: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of details) {
    const parts = (d.path ?? "").split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
    let key: string;
    if (parts[0] === "values") key = problemKey(-1, parts[1] ?? "");
    else if (parts[0] === "rows") key = problemKey(Number(parts[1]), parts[2] ?? "");
    else key = problemKey(-1, "");
    out.set(key, out.has(key) ? `${out.get(key)} ${d.message}` : d.message);
  }
  return out;
}

export const problemKey = (row: number, field: string) => `${row}/${field}`;
