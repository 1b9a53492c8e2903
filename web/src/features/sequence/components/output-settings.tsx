import { OUTPUT_PRESETS, type OutputSettings as Output } from "../utils/sequence-document";

interface OutputSettingsProps {
  output: Output;
  onChange: (output: Output) => void;
}

/** Output preset picker; the document always gets explicit width/height/fps. */
export function OutputSettings({ output, onChange }: OutputSettingsProps) {
  const current = OUTPUT_PRESETS.find((p) => p.width === output.width && p.height === output.height && p.fps === output.fps);
  return (
    <div className="field field--inline">
      <label htmlFor="output-preset" className="field-label">Output</label>
      <select
        id="output-preset"
        className="select"
        value={current?.id ?? "custom"}
        data-testid="output-preset"
        onChange={(e) => {
          const preset = OUTPUT_PRESETS.find((p) => p.id === e.target.value);
          if (preset) onChange({ width: preset.width, height: preset.height, fps: preset.fps });
        }}
      >
        {OUTPUT_PRESETS.map((p) => (
          <option key={p.id} value={p.id}>{p.label}</option>
        ))}
        {!current && <option value="custom">Custom · {output.width}×{output.height} @ {output.fps}</option>}
      </select>
    </div>
  );
}
