import { useEffect, useState } from "react";
import type { CountForm, MixAction } from "../lib/mix-form";
import { FieldProblems, problemProps } from "./field-problems";

interface VariantsBoxProps {
  count: CountForm;
  seed: number;
  combinations: number | null;
  problems: Record<string, string[]>;
  busy: "saving" | "planning" | "rendering" | null;
  /** Variants a render would make now (the fresh plan's count), or null when there is no fresh plan. */
  renderable: number | null;
  dispatch: (action: MixAction) => void;
  onSeed: (seed: number) => void;
  onShuffle: () => void;
  onPlan: () => void;
  onRender: () => void;
}

/** How many variants and from which seed; plan them, then render them. */
export function VariantsBox({ count, seed, combinations, problems, busy, renderable, dispatch, onSeed, onShuffle, onPlan, onRender }: VariantsBoxProps) {
  const [seedText, setSeedText] = useState(String(seed));
  useEffect(() => setSeedText(String(seed)), [seed]);
  const setCount = (patch: Partial<CountForm>) => dispatch({ type: "count", patch });
  const commitSeed = () => {
    const n = Number(seedText);
    if (seedText.trim() !== "" && Number.isInteger(n) && n >= 0 && n <= Number.MAX_SAFE_INTEGER) onSeed(n);
    else setSeedText(String(seed));
  };

  return (
    <fieldset className="mix-box mix-variants" data-testid="mix-variants">
      <legend className="subheading">Variants</legend>
      <div className="segmented" role="radiogroup" aria-label="How many variants">
        <button type="button" role="radio" aria-checked={count.mode === "number"} className={`segmented__item ${count.mode === "number" ? "segmented__item--on" : ""}`} onClick={() => setCount({ mode: "number" })} data-testid="count-mode-number">Exactly</button>
        <button type="button" role="radio" aria-checked={count.mode === "all"} className={`segmented__item ${count.mode === "all" ? "segmented__item--on" : ""}`} onClick={() => setCount({ mode: "all" })} data-testid="count-mode-all">All, up to</button>
      </div>
      <div className="mix-row">
        {count.mode === "number" ? (
          <label className="mix-rule">
            <span>Count</span>
            <input className="input mix-rule__input" inputMode="numeric" value={count.n} onChange={(e) => setCount({ n: e.target.value })} data-testid="count-input" {...problemProps("count-p", problems.count)} />
          </label>
        ) : (
          <label className="mix-rule">
            <span>Cap</span>
            <input className="input mix-rule__input" inputMode="numeric" placeholder="max" value={count.cap} onChange={(e) => setCount({ cap: e.target.value })} data-testid="cap-input" {...problemProps("count-p", problems.cap)} />
          </label>
        )}
        <span className="muted mix-variants__of" data-testid="combinations">{combinations == null ? "" : `of ${combinations} distinct`}</span>
      </div>
      <FieldProblems id="count-p" messages={[...(problems.count ?? []), ...(problems.cap ?? [])]} />
      <div className="mix-row">
        <label className="mix-rule">
          <span>Seed</span>
          <input
            className="input mix-seed"
            inputMode="numeric"
            value={seedText}
            onChange={(e) => setSeedText(e.target.value)}
            onBlur={commitSeed}
            onKeyDown={(e) => e.key === "Enter" && commitSeed()}
            data-testid="seed-input"
            {...problemProps("seed-p", problems.seed)}
          />
        </label>
        <button type="button" className="button button--ghost button--small" onClick={onShuffle} data-testid="seed-shuffle">Shuffle</button>
      </div>
      <FieldProblems id="seed-p" messages={problems.seed} />
      <div className="mix-variants__actions">
        <button type="button" className="button button--secondary" disabled={busy !== null} onClick={onPlan} data-testid="mix-plan">
          {busy === "planning" ? "Planning…" : "Plan"}
        </button>
        <button type="button" className="button button--primary" disabled={busy !== null || renderable == null} onClick={onRender} data-testid="mix-render" title={renderable == null ? "Plan first: you render what you see" : undefined}>
          {busy === "rendering" ? "Queuing…" : renderable == null ? "Render" : `Render ${renderable} variant${renderable === 1 ? "" : "s"}`}
        </button>
      </div>
    </fieldset>
  );
}
