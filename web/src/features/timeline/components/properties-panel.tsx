import type { ReactNode } from "react";
import { NumberField } from "../../../components/number-field";
import {
  ANCHORS,
  EASINGS,
  FITS,
  KEYFRAME_PROPERTIES,
  TRANSITION_TYPES,
  type Anchor,
  type Clip,
  type Easing,
  type Effect,
  type EffectType,
  type Fit,
  type KeyframeProperty,
  type Keyframes,
  type TransitionType,
} from "../../../types/timeline";
import type { EditorEngine, EditorState } from "../engine/editor-engine";
import { findClip, isTimed } from "../engine/model";
import { SelectionSummary } from "./selection-summary";

interface PropertiesPanelProps {
  engine: EditorEngine;
  state: EditorState;
  errors: string[] | undefined;
  /** The project's uploaded fonts, offered to text and captions clips. */
  fonts: { id: string; name: string; family: string | null }[];
}

const EFFECT_DEFAULTS: Record<EffectType, Effect> = {
  blur: { type: "blur", amount: 5 },
  grayscale: { type: "grayscale" },
  sepia: { type: "sepia" },
  color: { type: "color", brightness: 0, contrast: 1, saturation: 1 },
  kenburns: { type: "kenburns", from: { scale: 1, x: 0, y: 0 }, to: { scale: 1.3, x: 0.1, y: 0 } },
  crop: { type: "crop", x: 0, y: 0, width: 1, height: 1 },
  flip: { type: "flip", horizontal: true, vertical: false },
  rotate: { type: "rotate", degrees: 90 },
  chromakey: { type: "chromakey", color: "#00FF00", similarity: 0.1, blend: 0.05 },
};

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="props__section">
      <legend className="props__legend">{title}</legend>
      {children}
    </fieldset>
  );
}

function Select<T extends string>({ label, value, options, onChange, testId }: { label: string; value: T; options: readonly T[]; onChange: (v: T) => void; testId?: string }) {
  return (
    <label className="num-field">
      <span className="num-field__label">{label}</span>
      <select className="select props__select" value={value} onChange={(e) => onChange(e.target.value as T)} data-testid={testId}>
        {options.map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    </label>
  );
}

function ColorField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="num-field">
      <span className="num-field__label">{label}</span>
      <input type="color" className="props__color" value={value.slice(0, 7)} onChange={(e) => onChange(e.target.value.toUpperCase())} />
      <span className="props__hex">{value}</span>
    </label>
  );
}

/** Every clip property of the timeline spec, for the selected clip; each change is an undoable edit. */
export function PropertiesPanel({ engine, state, errors, fonts }: PropertiesPanelProps) {
  if (state.selectedIds.length > 1) return <SelectionSummary engine={engine} state={state} />;
  const found = state.selection ? findClip(state.doc, state.selection) : null;
  if (!found) {
    return (
      <div className="props props--empty" data-testid="properties">
        <p className="props__hint">Select a clip to edit its properties.</p>
        <p className="props__keys muted">
          <kbd>Space</kbd> play · <kbd>J</kbd><kbd>K</kbd><kbd>L</kbd> shuttle · <kbd>←</kbd><kbd>→</kbd> frame · <kbd>S</kbd> split · <kbd>Del</kbd> delete · <kbd>⇧Del</kbd> ripple · <kbd>Ctrl Z</kbd> undo
        </p>
      </div>
    );
  }
  const clip = found.clip;
  const id = clip.id;
  const set = (patch: Partial<Clip>, key: string, label = `Change ${key}`) => engine.updateClip(id, patch, label, `${id}:${key}`);
  const type = clip.asset.type;
  const picture = type !== "audio";
  const sound = type === "video" || type === "audio";
  const textual = type === "text" || type === "captions";
  const font = clip.asset.font ?? {};
  const setAsset = (patch: Partial<Clip["asset"]>, key: string) => set({ asset: { ...clip.asset, ...patch } }, `asset.${key}`);
  const effects = clip.effects ?? [];
  const setEffects = (next: Effect[], key = "effects") => set({ effects: next.length ? next : undefined }, key, "Change effects");
  const animate = clip.animate ?? [];
  const setAnimate = (next: Keyframes[]) => set({ animate: next.length ? next : undefined }, "animate", "Change keyframes");
  const length = clip.length ?? 0;

  return (
    <div className="props" data-testid="properties" data-clip-id={id}>
      <header className="props__header">
        <span className={`props__type props__type--${type}`}>{type}</span>
        <span className="props__id">{id}</span>
      </header>
      {errors?.length ? (
        <ul className="props__errors" role="alert" data-testid="properties-errors">
          {errors.map((m, i) => <li key={i}>{m}</li>)}
        </ul>
      ) : null}

      {textual && (
        <Section title={type === "text" ? "Text" : "Captions"}>
          {type === "text" && (
            <label className="props__textarea-label">
              <span className="visually-hidden">Text</span>
              <textarea className="props__textarea" value={clip.asset.text ?? ""} rows={2} onChange={(e) => setAsset({ text: e.target.value }, "text")} data-testid="prop-text" />
            </label>
          )}
          <label className="num-field">
            <span className="num-field__label">Font</span>
            <input className="input props__input" value={font.family ?? ""} placeholder="DejaVu Sans" disabled={!!font.src} onChange={(e) => setAsset({ font: { ...font, family: e.target.value || undefined } }, "font.family")} />
          </label>
          {fonts.length > 0 && (
            <label className="num-field">
              <span className="num-field__label">Font file</span>
              <select className="select props__select" value={font.src ?? ""} data-testid="prop-font-src" onChange={(e) => setAsset({ font: { ...font, src: e.target.value || undefined } }, "font.src")}>
                <option value="">(by family)</option>
                {fonts.map((f) => <option key={f.id} value={`asset:${f.id}`}>{f.family ? `${f.family} — ${f.name}` : f.name}</option>)}
              </select>
            </label>
          )}
          <NumberField label="Size" value={font.size ?? 48} min={4} max={400} step={1} slider unit="px" testId="prop-font-size" onChange={(v) => setAsset({ font: { ...font, size: v } }, "font.size")} />
          <Select label="Weight" value={fontWeightOf(font.weight)} options={["normal", "bold"] as const} testId="prop-font-weight" onChange={(v) => setAsset({ font: { ...font, weight: v } }, "font.weight")} />
          <ColorField label="Colour" value={font.color ?? "#FFFFFF"} onChange={(v) => setAsset({ font: { ...font, color: v } }, "font.color")} />
          {type === "text" && <Select label="Align" value={clip.asset.align ?? "center"} options={["left", "center", "right"] as const} onChange={(v) => setAsset({ align: v }, "align")} />}
          <ColorField label="Box" value={clip.asset.box?.color ?? "#00000000"} onChange={(v) => setAsset({ box: { ...clip.asset.box, color: v } }, "box.color")} />
          <NumberField label="Box pad" value={clip.asset.box?.padding ?? 0} min={0} max={200} step={1} onChange={(v) => setAsset({ box: { ...clip.asset.box, padding: v } }, "box.padding")} />
          {type === "text" && <NumberField label="Outline" value={clip.asset.outline?.width ?? 0} min={0} max={40} step={1} unit="px" onChange={(v) => setAsset({ outline: v ? { color: clip.asset.outline?.color ?? "#000000", width: v } : undefined }, "outline")} />}
        </Section>
      )}
      {type === "color" && (
        <Section title="Colour">
          <ColorField label="Fill" value={clip.asset.color ?? "#000000"} onChange={(v) => setAsset({ color: v }, "color")} />
        </Section>
      )}

      <Section title="Timing">
        <NumberField label="Start" value={clip.start} min={0} max={36000} step={1 / engine.fps} unit="s" testId="prop-start" onChange={(v) => engine.moveClip(id, v)} />
        <NumberField label="Length" value={length} min={1 / engine.fps} max={36000} step={1 / engine.fps} unit="s" testId="prop-length" onChange={(v) => engine.trimEnd(id, clip.start + v)} />
        {isTimed(clip) && (
          <>
            <NumberField label="Trim" value={clip.trim ?? 0} min={0} max={36000} step={1 / engine.fps} unit="s" testId="prop-trim" onChange={(v) => set({ trim: v || undefined }, "trim")} />
            <NumberField label="Speed" value={clip.speed ?? 1} min={0.25} max={4} step={0.05} slider unit="×" testId="prop-speed" onChange={(v) => set({ speed: v === 1 ? undefined : v }, "speed")} />
          </>
        )}
      </Section>

      {picture && (
        <Section title="Picture">
          {!textual && <Select<Fit> label="Fit" value={clip.fit ?? "cover"} options={FITS} onChange={(v) => set({ fit: v }, "fit")} testId="prop-fit" />}
          <Select<Anchor> label="Position" value={clip.position ?? "center"} options={ANCHORS} onChange={(v) => set({ position: v }, "position")} testId="prop-position" />
          <NumberField label="Offset X" value={clip.offset?.x ?? 0} min={-1} max={1} step={0.01} slider onChange={(v) => set({ offset: { x: v, y: clip.offset?.y ?? 0 } }, "offset.x")} />
          <NumberField label="Offset Y" value={clip.offset?.y ?? 0} min={-1} max={1} step={0.01} slider onChange={(v) => set({ offset: { x: clip.offset?.x ?? 0, y: v } }, "offset.y")} />
          <NumberField label="Scale" value={clip.scale ?? 1} min={0.05} max={10} step={0.01} slider testId="prop-scale" onChange={(v) => set({ scale: v === 1 ? undefined : v }, "scale")} />
          <NumberField label="Opacity" value={clip.opacity ?? 1} min={0} max={1} step={0.01} slider testId="prop-opacity" onChange={(v) => set({ opacity: v === 1 ? undefined : v }, "opacity")} />
        </Section>
      )}

      <Section title={sound ? "Sound & fades" : "Fades"}>
        {sound && <NumberField label="Volume" value={clip.volume ?? 1} min={0} max={4} step={0.01} slider testId="prop-volume" onChange={(v) => set({ volume: v === 1 ? undefined : v }, "volume")} />}
        <NumberField label="Fade in" value={clip.fadeIn ?? 0} min={0} max={Math.max(0, length - (clip.fadeOut ?? 0))} step={0.1} slider unit="s" testId="prop-fade-in" onChange={(v) => set({ fadeIn: v || undefined }, "fadeIn")} />
        <NumberField label="Fade out" value={clip.fadeOut ?? 0} min={0} max={Math.max(0, length - (clip.fadeIn ?? 0))} step={0.1} slider unit="s" testId="prop-fade-out" onChange={(v) => set({ fadeOut: v || undefined }, "fadeOut")} />
      </Section>

      <Section title="Transition in">
        <label className="num-field">
          <span className="num-field__label">Type</span>
          <select
            className="select props__select"
            value={clip.transition?.type ?? ""}
            data-testid="prop-transition"
            onChange={(e) => engine.setTransition(id, (e.target.value || null) as TransitionType | null, clip.transition?.duration ?? 1)}
          >
            <option value="">none</option>
            {TRANSITION_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
          </select>
        </label>
        {clip.transition && (
          <NumberField label="Duration" value={clip.transition.duration} min={0.04} max={length} step={0.05} slider unit="s" onChange={(v) => clip.transition && engine.setTransition(id, clip.transition.type, v)} />
        )}
      </Section>

      {picture && (
        <Section title="Effects">
          {effects.map((effect, i) => (
            <div key={i} className="props__effect">
              <div className="props__effect-head">
                <span>{effect.type}</span>
                <button type="button" className="icon-button icon-button--danger" aria-label={`Remove ${effect.type}`} onClick={() => setEffects(effects.filter((_, j) => j !== i))}>×</button>
              </div>
              <EffectFields effect={effect} onChange={(next, key) => setEffects(effects.map((e, j) => (j === i ? next : e)), `effects.${i}.${key}`)} />
            </div>
          ))}
          <label className="num-field">
            <span className="num-field__label">Add</span>
            <select className="select props__select" value="" data-testid="add-effect" onChange={(e) => e.target.value && setEffects([...effects, EFFECT_DEFAULTS[e.target.value as EffectType]], `effects+${effects.length}`)}>
              <option value="">effect…</option>
              {Object.keys(EFFECT_DEFAULTS).map((t) => <option key={t} value={t}>{t}</option>)}
            </select>
          </label>
        </Section>
      )}

      <Section title="Keyframes">
        {animate.map((track, i) => (
          <div key={i} className="props__effect">
            <div className="props__effect-head">
              <span>{track.property}</span>
              <button type="button" className="link-button" onClick={() => {
                const t = Math.max(0, Math.min(length, state.playhead - clip.start));
                setAnimate(animate.map((k, j) => (j === i ? { ...k, keys: [...k.keys, { t: Math.round(t * 1000) / 1000, value: k.keys[k.keys.length - 1]?.value ?? 1 }].sort((a, b) => a.t - b.t) } : k)));
              }}>+ key at playhead</button>
              <button type="button" className="icon-button icon-button--danger" aria-label={`Remove ${track.property} keyframes`} onClick={() => setAnimate(animate.filter((_, j) => j !== i))}>×</button>
            </div>
            {track.keys.map((key, k) => (
              <div key={k} className="props__key">
                <NumberField label="t" value={key.t} min={0} max={length} step={0.05} unit="s" onChange={(v) => setAnimate(animate.map((a, j) => (j === i ? { ...a, keys: a.keys.map((kk, m) => (m === k ? { ...kk, t: v } : kk)) } : a)))} />
                <NumberField label="value" value={key.value} min={-10} max={10} step={0.01} onChange={(v) => setAnimate(animate.map((a, j) => (j === i ? { ...a, keys: a.keys.map((kk, m) => (m === k ? { ...kk, value: v } : kk)) } : a)))} />
                <Select<Easing> label="ease" value={key.easing ?? "linear"} options={EASINGS} onChange={(v) => setAnimate(animate.map((a, j) => (j === i ? { ...a, keys: a.keys.map((kk, m) => (m === k ? { ...kk, easing: v } : kk)) } : a)))} />
              </div>
            ))}
          </div>
        ))}
        <label className="num-field">
          <span className="num-field__label">Animate</span>
          <select className="select props__select" value="" onChange={(e) => {
            const property = e.target.value as KeyframeProperty;
            if (!property) return;
            const start = property === "opacity" ? 0 : property === "scale" || property === "volume" ? 1 : 0;
            setAnimate([...animate, { property, keys: [{ t: 0, value: start }, { t: Math.min(1, length), value: property === "opacity" ? 1 : start }] }]);
          }}>
            <option value="">property…</option>
            {KEYFRAME_PROPERTIES.filter((p) => !animate.some((a) => a.property === p)).map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
      </Section>
    </div>
  );
}

function EffectFields({ effect, onChange }: { effect: Effect; onChange: (e: Effect, key: string) => void }) {
  switch (effect.type) {
    case "blur":
      return <NumberField label="Amount" value={effect.amount} min={0} max={50} step={0.5} slider onChange={(v) => onChange({ ...effect, amount: v }, "amount")} />;
    case "color":
      return (
        <>
          <NumberField label="Bright" value={effect.brightness ?? 0} min={-1} max={1} step={0.01} slider onChange={(v) => onChange({ ...effect, brightness: v }, "brightness")} />
          <NumberField label="Contrast" value={effect.contrast ?? 1} min={0} max={3} step={0.01} slider onChange={(v) => onChange({ ...effect, contrast: v }, "contrast")} />
          <NumberField label="Satur." value={effect.saturation ?? 1} min={0} max={3} step={0.01} slider onChange={(v) => onChange({ ...effect, saturation: v }, "saturation")} />
        </>
      );
    case "kenburns":
      return (
        <>
          <NumberField label="From ×" value={effect.from.scale} min={0.1} max={5} step={0.01} slider onChange={(v) => onChange({ ...effect, from: { ...effect.from, scale: v } }, "from.scale")} />
          <NumberField label="To ×" value={effect.to.scale} min={0.1} max={5} step={0.01} slider onChange={(v) => onChange({ ...effect, to: { ...effect.to, scale: v } }, "to.scale")} />
          <NumberField label="To X" value={effect.to.x} min={-1} max={1} step={0.01} slider onChange={(v) => onChange({ ...effect, to: { ...effect.to, x: v } }, "to.x")} />
          <NumberField label="To Y" value={effect.to.y} min={-1} max={1} step={0.01} slider onChange={(v) => onChange({ ...effect, to: { ...effect.to, y: v } }, "to.y")} />
        </>
      );
    case "crop":
      return (
        <>
          {(["x", "y", "width", "height"] as const).map((k) => (
            <NumberField key={k} label={k} value={effect[k]} min={0} max={1} step={0.01} slider onChange={(v) => onChange({ ...effect, [k]: v }, k)} />
          ))}
        </>
      );
    case "flip":
      return (
        <div className="props__checks">
          <label><input type="checkbox" checked={!!effect.horizontal} onChange={(e) => onChange({ ...effect, horizontal: e.target.checked }, "h")} /> horizontal</label>
          <label><input type="checkbox" checked={!!effect.vertical} onChange={(e) => onChange({ ...effect, vertical: e.target.checked }, "v")} /> vertical</label>
        </div>
      );
    case "rotate":
      return <NumberField label="Degrees" value={effect.degrees} min={-360} max={360} step={1} slider onChange={(v) => onChange({ ...effect, degrees: v }, "degrees")} />;
    case "chromakey":
      return (
        <>
          <ColorField label="Key" value={effect.color} onChange={(v) => onChange({ ...effect, color: v }, "color")} />
          <NumberField label="Similar" value={effect.similarity ?? 0.1} min={0} max={1} step={0.01} slider onChange={(v) => onChange({ ...effect, similarity: v }, "similarity")} />
          <NumberField label="Blend" value={effect.blend ?? 0.05} min={0} max={1} step={0.01} slider onChange={(v) => onChange({ ...effect, blend: v }, "blend")} />
        </>
      );
    default:
      return null;
  }
}

/** The spec's weights are "normal" and "bold"; a number from an older document reads as the nearer one. */
export function fontWeightOf(weight: number | string | undefined): "normal" | "bold" {
  if (weight === "bold") return "bold";
  return typeof weight === "number" && weight >= 600 ? "bold" : "normal";
}
