import { useEffect, useRef, useState } from "react";

interface CopyFieldProps {
  label: string;
  value: string;
  testId?: string;
}

/** Copies through the Clipboard API, or (plain http on another host has none) the selected text. */
async function copyText(text: string, input: HTMLInputElement | null): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // Denied: fall back to the selection below.
  }
  if (!input) return false;
  input.focus();
  input.select();
  return document.execCommand("copy");
}

/** A read-only value (a secret, a link) with a Copy button. */
export function CopyField({ label, value, testId }: CopyFieldProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const id = `copy-${testId ?? label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;

  useEffect(() => {
    if (state === "idle") return undefined;
    const timer = window.setTimeout(() => setState("idle"), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);

  return (
    <div className="field copy-field">
      <label htmlFor={id} className="field-label">{label}</label>
      <div className="input-row">
        <input
          ref={inputRef}
          id={id}
          className="input input--mono"
          readOnly
          value={value}
          data-testid={testId}
          onFocus={(e) => e.currentTarget.select()}
          spellCheck={false}
        />
        <button
          type="button"
          className="button button--secondary"
          onClick={() => void copyText(value, inputRef.current).then((ok) => setState(ok ? "copied" : "failed"))}
          data-testid={testId ? `${testId}-copy` : undefined}
        >
          {state === "copied" ? "Copied" : "Copy"}
        </button>
      </div>
      <span className="visually-hidden" aria-live="polite">{state === "copied" ? "Copied to the clipboard." : state === "failed" ? "Could not copy; select the text and copy it." : ""}</span>
      {state === "failed" && <p className="field-error">Could not copy: select the text and copy it yourself.</p>}
    </div>
  );
}
