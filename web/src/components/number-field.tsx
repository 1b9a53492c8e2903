import { useEffect, useId, useState } from "react";

interface NumberFieldProps {
  label: string;
  value: number;
  min: number;
  max: number;
  step: number;
  /** Show a slider next to the number (for bounded values). */
  slider?: boolean;
  unit?: string;
  testId?: string;
  onChange: (value: number) => void;
}

/** A labelled numeric input with an optional slider; typing commits on Enter or blur, the slider at once. */
export function NumberField({ label, value, min, max, step, slider = false, unit, testId, onChange }: NumberFieldProps) {
  const id = useId();
  const [text, setText] = useState(String(round(value)));
  useEffect(() => setText(String(round(value))), [value]);

  const commit = () => {
    const parsed = Number(text);
    if (text.trim() === "" || !Number.isFinite(parsed)) {
      setText(String(round(value)));
      return;
    }
    const clamped = Math.min(max, Math.max(min, parsed));
    setText(String(round(clamped)));
    if (clamped !== value) onChange(clamped);
  };

  return (
    <div className="num-field">
      <label className="num-field__label" htmlFor={id}>{label}</label>
      {slider && (
        <input
          type="range"
          className="num-field__slider"
          min={min}
          max={max}
          step={step}
          value={value}
          aria-label={`${label} slider`}
          onChange={(e) => onChange(Number(e.target.value))}
          tabIndex={-1}
        />
      )}
      <span className="num-field__box">
        <input
          id={id}
          className="num-field__input"
          type="number"
          inputMode="decimal"
          min={min}
          max={max}
          step={step}
          value={text}
          data-testid={testId}
          onChange={(e) => setText(e.target.value)}
          onBlur={commit}
          onKeyDown={(e) => {
            if (e.key === "Enter") commit();
          }}
        />
        {unit && <span className="num-field__unit">{unit}</span>}
      </span>
    </div>
  );
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
