import type { Asset } from "../../../types/api";
import type { TemplateField } from "../api/templates";
import { describeRules } from "../lib/field-rules";

interface FieldInputProps {
  field: TemplateField;
  value: string;
  error: string | null;
  assets: Asset[];
  onChange: (value: string) => void;
  onBlur: () => void;
}

/** One field of the generated form: the input its type calls for, its rules in words, its problem. */
export function FieldInput({ field, value, error, assets, onChange, onBlur }: FieldInputProps) {
  const id = `field-${field.name}`;
  const hintId = `${id}-hint`;
  const common = {
    id,
    name: field.name,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": hintId,
    onBlur,
    "data-testid": `field-${field.name}`,
  };
  let input;
  switch (field.type) {
    case "number":
      input = <input {...common} className="input" type="number" step="any" min={field.min} max={field.max} value={value} placeholder={field.default != null ? String(field.default) : ""} onChange={(e) => onChange(e.target.value)} />;
      break;
    case "color":
      input = (
        <div className="input-row">
          <input type="color" aria-label={`${field.name} picker`} value={/^#[0-9a-fA-F]{6}/.test(value) ? value.slice(0, 7) : "#000000"} onChange={(e) => onChange(e.target.value.toUpperCase())} />
          <input {...common} className="input input--mono" value={value} placeholder={field.default != null ? String(field.default) : "#RRGGBB"} onChange={(e) => onChange(e.target.value)} />
        </div>
      );
      break;
    case "asset": {
      const choices = assets.filter((a) => !field.kind || a.kind === field.kind);
      input = (
        <select {...common} className="select" value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{field.default != null ? `Default (${field.default})` : `Choose a ${field.kind ?? ""} asset…`}</option>
          {choices.map((a) => (
            <option key={a.id} value={`asset:${a.id}`}>{a.name}</option>
          ))}
        </select>
      );
      break;
    }
    default:
      input = <input {...common} className="input" type="text" value={value} placeholder={field.default != null ? String(field.default) : ""} onChange={(e) => onChange(e.target.value)} />;
  }
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>{field.name}{field.required ? " *" : ""}</label>
      {input}
      <p className="field-hint" id={hintId}>{describeRules(field)}</p>
      {error && <p className="field-error" role="alert" data-testid={`field-error-${field.name}`}>{error}</p>}
    </div>
  );
}
