import type { InputHTMLAttributes } from "react";

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value" | "id"> {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** A problem with this field, shown under it and announced with it. */
  error?: string | null;
  hint?: string;
  testId?: string;
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function TextField({ id, label, value, onChange, error, hint, testId, ...rest }: TextFieldProps) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">{label}</label>
      <input
        {...rest}
        id={id}
        className="input"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        data-testid={testId}
      />
      {hint && <p id={`${id}-hint`} className="field-hint">{hint}</p>}
      {error && <p id={`${id}-error`} className="field-error field-error--tight">{error}</p>}
    </div>
  );
}
