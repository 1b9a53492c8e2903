import { BUILT_INS, FORMATS, FRAME_RATES, POSITIONS, SIZES, type MixAction, type MixForm } from "../lib/mix-form";
import { FieldProblems, problemProps } from "./field-problems";

interface MixSettingsProps {
  form: MixForm;
  problems: Record<string, string[]>;
  dispatch: (action: MixAction) => void;
}

const withCurrent = (list: string[], current: string) => (list.includes(current) ? list : [current, ...list]);

/** The text layer over every variant and the output settings. */
export function MixSettings({ form, problems, dispatch }: MixSettingsProps) {
  const { text, output } = form;
  const setText = (patch: Partial<MixForm["text"]>) => dispatch({ type: "text", patch });
  const setOutput = (patch: Partial<MixForm["output"]>) => dispatch({ type: "output", patch });
  const placeholders = [...form.groups.map((g) => g.name).filter(Boolean), ...BUILT_INS];
  const sizes = SIZES.some((s) => s.value === output.size) ? SIZES : [{ value: output.size, label: output.size.replace("x", " × ") }, ...SIZES];

  return (
    <div className="mix-settings">
      <fieldset className="mix-box" data-testid="mix-text">
        <legend className="subheading">Text layer</legend>
        <label className="mix-rule mix-rule--check">
          <input type="checkbox" checked={text.enabled} onChange={(e) => setText({ enabled: e.target.checked })} data-testid="text-enabled" />
          <span>Show a text over each variant</span>
        </label>
        {text.enabled && (
          <>
            <div className="segmented" role="radiogroup" aria-label="Text per variant">
              {(["one", "list"] as const).map((mode) => (
                <button key={mode} type="button" role="radio" aria-checked={text.mode === mode} className={`segmented__item ${text.mode === mode ? "segmented__item--on" : ""}`} onClick={() => setText({ mode })}>
                  {mode === "one" ? "Same text" : "One line per variant"}
                </button>
              ))}
            </div>
            <label className="field mix-field">
              <span className="field-label">{text.mode === "one" ? "Text" : "Texts (used in turn)"}</span>
              <textarea className="input mix-textarea" rows={text.mode === "one" ? 2 : 4} value={text.text} onChange={(e) => setText({ text: e.target.value })} data-testid="text-input" {...problemProps("text-p", problems["text:text"])} />
              <span className="field-hint">Placeholders: {placeholders.map((p) => <code key={p}>{`{{${p}}}`}</code>)}</span>
            </label>
            <FieldProblems id="text-p" messages={problems["text:text"]} />
            <div className="mix-row">
              <label className="mix-rule">
                <span>Size px</span>
                <input className="input mix-rule__input" inputMode="numeric" value={text.size} onChange={(e) => setText({ size: e.target.value })} data-testid="text-size" />
              </label>
              <label className="mix-rule">
                <span>Position</span>
                <select className="select" value={text.position} onChange={(e) => setText({ position: e.target.value })} data-testid="text-position">
                  {withCurrent(POSITIONS, text.position).map((p) => <option key={p} value={p}>{p}</option>)}
                </select>
              </label>
            </div>
            <FieldProblems id="text-style-p" messages={problems.text} />
          </>
        )}
      </fieldset>
      <fieldset className="mix-box" data-testid="mix-output">
        <legend className="subheading">Output</legend>
        <div className="mix-row">
          <label className="mix-rule">
            <span>Size</span>
            <select className="select" value={output.size} onChange={(e) => setOutput({ size: e.target.value })} data-testid="output-size">
              {sizes.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
            </select>
          </label>
          <label className="mix-rule">
            <span>fps</span>
            <select className="select" value={output.fps} onChange={(e) => setOutput({ fps: e.target.value })} data-testid="output-fps">
              {withCurrent(FRAME_RATES, output.fps).map((f) => <option key={f} value={f}>{f}</option>)}
            </select>
          </label>
          <label className="mix-rule">
            <span>Format</span>
            <select className="select" value={output.format} onChange={(e) => setOutput({ format: e.target.value })} data-testid="output-format">
              {withCurrent(FORMATS, output.format).map((f) => <option key={f} value={f}>{f}</option>)}
            </select>
          </label>
        </div>
        <FieldProblems id="output-p" messages={problems.output} />
      </fieldset>
    </div>
  );
}
