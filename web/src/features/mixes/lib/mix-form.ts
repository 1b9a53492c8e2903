import type { Mix, MixBody, MixClip, MixGroup } from "../api/mixes";

/**
 * The mix editor's state: what the user is typing, kept as text so a half-typed number is not
 * lost; `toBody` turns it into the API's body and the server checks it whole (its 422 pointers
 * come back to the fields through `fieldOfPointer`). Groups and clips carry stable keys so
 * problems and focus stay with them while they are reordered.
 */
export interface ClipForm {
  key: string;
  assetId: string;
  /** In-point, seconds ("" = 0). */
  trim: string;
  /** Seconds from the in-point ("" = the rest). */
  length: string;
  label: string;
}

export interface GroupForm {
  key: string;
  name: string;
  /** Clips per variant ("" = 1). */
  pick: string;
  optional: boolean;
  maxLength: string;
  clips: ClipForm[];
}

export interface TextForm {
  enabled: boolean;
  /** `one`: the same text on every variant; `list`: one line per variant, used in turn. */
  mode: "one" | "list";
  text: string;
  size: string;
  position: string;
  /** Members of the text layer this form does not edit (box, outline, colour…), kept as loaded. */
  extra: Record<string, unknown>;
}

export interface OutputForm {
  /** `WIDTHxHEIGHT`. */
  size: string;
  fps: string;
  format: string;
  extra: Record<string, unknown>;
}

export interface CountForm {
  mode: "number" | "all";
  n: string;
  /** With "all": at most this many ("" = the server's limit). */
  cap: string;
}

export interface MixForm {
  name: string;
  groups: GroupForm[];
  text: TextForm;
  output: OutputForm;
  count: CountForm;
}

export const SIZES = [
  { value: "1920x1080", label: "1920 × 1080 (landscape)" },
  { value: "1280x720", label: "1280 × 720 (landscape)" },
  { value: "1080x1920", label: "1080 × 1920 (vertical)" },
  { value: "720x1280", label: "720 × 1280 (vertical)" },
  { value: "1080x1080", label: "1080 × 1080 (square)" },
  { value: "640x360", label: "640 × 360 (small)" },
];
export const FRAME_RATES = ["24", "25", "30", "50", "60"];
export const FORMATS = ["mp4", "webm", "gif"];
export const POSITIONS = ["top", "center", "bottom", "topLeft", "topRight", "bottomLeft", "bottomRight"];
/** Placeholders every text layer knows besides the group names. */
export const BUILT_INS = ["VARIANT", "COUNT", "MIX"];
const GROUP_NAMES = ["hook", "body", "cta"];

let keys = 0;
/** A key unique in this page's life (never sent). */
export function newKey(prefix: string): string {
  keys += 1;
  return `${prefix}${keys}`;
}

/** The first of hook, body, cta, group4, group5… that no group uses. */
export function nextGroupName(groups: { name: string }[]): string {
  const used = new Set(groups.map((g) => g.name));
  for (const name of GROUP_NAMES) if (!used.has(name)) return name;
  for (let n = groups.length + 1; ; n++) if (!used.has(`group${n}`)) return `group${n}`;
}

export function newGroup(groups: { name: string }[]): GroupForm {
  return { key: newKey("g"), name: nextGroupName(groups), pick: "", optional: false, maxLength: "", clips: [] };
}

export function newClip(assetId: string): ClipForm {
  return { key: newKey("c"), assetId, trim: "", length: "", label: "" };
}

export function emptyForm(): MixForm {
  const hook = newGroup([]);
  return {
    name: "Untitled mix",
    groups: [hook, newGroup([hook])],
    text: { enabled: false, mode: "one", text: "", size: "64", position: "bottom", extra: {} },
    output: { size: "1280x720", fps: "30", format: "mp4", extra: {} },
    count: { mode: "all", n: "4", cap: "20" },
  };
}

const str = (v: unknown) => (typeof v === "number" || typeof v === "string" ? String(v) : "");
const assetIdOf = (src: string) => (src.startsWith("asset:") ? src.slice(6) : src);
function without(object: Record<string, unknown>, names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([k]) => !names.includes(k)));
}

/** A saved mix as the editor's state; a stored `order` becomes the columns' order. */
export function formOfMix(mix: Mix): MixForm {
  const base = emptyForm();
  let groups = mix.groups ?? [];
  if (mix.order) {
    const order = mix.order;
    groups = [...groups].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  }
  const text = mix.text;
  const font = text && typeof text.font === "object" && text.font ? (text.font as Record<string, unknown>) : {};
  const output = mix.output ?? {};
  return {
    name: mix.name,
    groups: groups.map((g: MixGroup) => ({
      key: newKey("g"),
      name: g.name,
      pick: g.pick === undefined ? "" : String(g.pick),
      optional: g.optional === true,
      maxLength: str(g.maxLength),
      clips: g.clips.map((c: MixClip) =>
        typeof c === "string"
          ? newClip(assetIdOf(c))
          : { key: newKey("c"), assetId: assetIdOf(c.src), trim: c.trim ? String(c.trim) : "", length: str(c.length), label: c.label ?? "" },
      ),
    })),
    text: text
      ? {
          enabled: true,
          mode: text.texts ? "list" : "one",
          text: text.texts ? text.texts.join("\n") : text.text ?? "",
          size: str(font.size) || base.text.size,
          position: typeof text.position === "string" ? text.position : "center",
          extra: without(text, ["text", "texts", "position"]),
        }
      : base.text,
    output: {
      size: typeof output.width === "number" && typeof output.height === "number" ? `${output.width}x${output.height}` : "1920x1080",
      fps: str(output.fps) || "30",
      format: typeof output.format === "string" ? output.format : "mp4",
      extra: without(output, ["width", "height", "fps", "format"]),
    },
    count:
      typeof mix.count === "number"
        ? { mode: "number", n: String(mix.count), cap: "" }
        : { mode: "all", n: String(Math.min(mix.combinations ?? 4, 4)), cap: mix.cap === undefined ? "" : String(mix.cap) },
  };
}

/** A number as typed: nothing → undefined; not a number → the text itself (the server names the field). */
export function typedNumber(text: string): number | string | undefined {
  const t = text.trim();
  if (t === "") return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

function clipBody(c: ClipForm): MixClip {
  const src = `asset:${c.assetId}`;
  const trim = typedNumber(c.trim);
  const length = typedNumber(c.length);
  const label = c.label.trim();
  if ((trim === undefined || trim === 0) && length === undefined && !label) return src;
  const clip: Record<string, unknown> = { src };
  if (trim !== undefined && trim !== 0) clip.trim = trim;
  if (length !== undefined) clip.length = length;
  if (label) clip.label = label;
  return clip as MixClip;
}

/**
 * The body of POST (`patch` false: absent members stay absent) or PATCH (`patch` true: members
 * the form turned off are sent as `null`, which removes them). Columns are the playing order, so
 * a stored `order` is dropped.
 */
export function toBody(form: MixForm, patch: boolean): MixBody {
  const none = patch ? null : undefined;
  const groups = form.groups.map((g) => {
    const group: Record<string, unknown> = { name: g.name.trim(), clips: g.clips.map(clipBody) };
    const pick = typedNumber(g.pick);
    if (pick !== undefined) group.pick = pick;
    if (g.optional) group.optional = true;
    const maxLength = typedNumber(g.maxLength);
    if (maxLength !== undefined) group.maxLength = maxLength;
    return group;
  });
  let text: unknown = none;
  if (form.text.enabled) {
    const font = typeof form.text.extra.font === "object" && form.text.extra.font ? (form.text.extra.font as Record<string, unknown>) : {};
    const size = typedNumber(form.text.size);
    const lines = form.text.text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
    text = {
      ...form.text.extra,
      ...(form.text.mode === "list" ? { texts: lines } : { text: form.text.text }),
      font: size === undefined ? without(font, ["size"]) : { ...font, size },
      position: form.text.position,
    };
  }
  const [width, height] = form.output.size.split("x").map(Number);
  const output = { ...form.output.extra, width, height, fps: typedNumber(form.output.fps) ?? 30, format: form.output.format };
  const cap = typedNumber(form.count.cap);
  const body: MixBody = {
    name: form.name.trim() || "Untitled mix",
    groups,
    order: none,
    text,
    output,
    count: form.count.mode === "all" ? "all" : typedNumber(form.count.n) ?? "",
    cap: form.count.mode === "all" && cap !== undefined ? cap : none,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

/**
 * The form field a server pointer names, as a key the components ask for: `name`, `groups`,
 * `g:KEY`, `g:KEY:name|pick|optional|maxLength|clips`, `c:KEY:src|trim|length|label`, `text`,
 * `text:text`, `output`, `count`, `cap`, `seed`; "" for anything else. `sent` is the form as sent
 * (pointers index its groups and clips).
 */
export function fieldOfPointer(sent: MixForm, pointer: string): string {
  const parts = pointer.split("/").slice(1);
  const [top, i, member, j, clipMember] = parts;
  switch (top) {
    case "name":
    case "count":
    case "cap":
    case "seed":
      return top;
    case "order":
      return "groups";
    case "output":
      return "output";
    case "text":
      return i === "text" || i === "texts" ? "text:text" : "text";
    case "groups": {
      const group = i === undefined ? undefined : sent.groups[Number(i)];
      if (!group) return "groups";
      if (member === undefined) return `g:${group.key}`;
      if (member !== "clips") return `g:${group.key}:${member}`;
      const clip = j === undefined ? undefined : group.clips[Number(j)];
      if (!clip) return `g:${group.key}:clips`;
      return `c:${clip.key}:${clipMember ?? "src"}`;
    }
    default:
      return "";
  }
}

/** Problems by field key (every one kept: a field may have several). */
export function problemsByField(sent: MixForm, details: { path?: string; message: string }[]): Record<string, string[]> {
  const byField: Record<string, string[]> = {};
  for (const d of details) {
    const key = fieldOfPointer(sent, d.path ?? "");
    (byField[key] ??= []).push(d.message);
  }
  return byField;
}

/** A pointer as a person reads it: `Group “hook” · clip 2 · in-point`. */
export function describePointer(sent: MixForm, pointer: string): string {
  const parts = pointer.split("/").slice(1);
  const names: Record<string, string> = { trim: "in-point", length: "length", label: "label", src: "video", pick: "pick", maxLength: "max length", optional: "optional", name: "name", clips: "clips" };
  if (parts[0] === "groups" && parts[1] !== undefined) {
    const group = sent.groups[Number(parts[1])];
    const out = [group ? `Group “${group.name || Number(parts[1]) + 1}”` : `Group ${Number(parts[1]) + 1}`];
    if (parts[2] === "clips" && parts[3] !== undefined) out.push(`clip ${Number(parts[3]) + 1}`, names[parts[4] ?? "src"] ?? parts[4]);
    else if (parts[2]) out.push(names[parts[2]] ?? parts[2]);
    return out.join(" · ");
  }
  const tops: Record<string, string> = { name: "Name", groups: "Groups", order: "Groups", text: "Text", output: "Output", count: "Count", cap: "Cap", seed: "Seed" };
  return parts[0] ? `${tops[parts[0]] ?? parts[0]}${parts.length > 1 ? ` · ${parts.slice(1).join(" · ")}` : ""}` : "Mix";
}

/** `list` with the item at `from` moved to `to` (clamped); the same list when nothing moves. */
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(list.length - 1, to));
  if (from < 0 || from >= list.length || from === target) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(target, 0, item);
  return next;
}

export type MixAction =
  | { type: "load"; form: MixForm }
  | { type: "name"; name: string }
  | { type: "addGroup"; group: GroupForm }
  | { type: "removeGroup"; group: string }
  | { type: "moveGroup"; group: string; to: number }
  | { type: "setGroup"; group: string; patch: Partial<Omit<GroupForm, "key" | "clips">> }
  | { type: "addClip"; group: string; clip: ClipForm; at?: number }
  | { type: "removeClip"; clip: string }
  | { type: "moveClip"; clip: string; group: string; at: number }
  | { type: "setClip"; clip: string; patch: Partial<Omit<ClipForm, "key" | "assetId">> }
  | { type: "text"; patch: Partial<TextForm> }
  | { type: "output"; patch: Partial<OutputForm> }
  | { type: "count"; patch: Partial<CountForm> };

function findClip(form: MixForm, key: string): { g: number; c: number } | null {
  for (let g = 0; g < form.groups.length; g++) {
    const c = form.groups[g].clips.findIndex((clip) => clip.key === key);
    if (c >= 0) return { g, c };
  }
  return null;
}

const mapGroup = (form: MixForm, key: string, f: (g: GroupForm) => GroupForm): MixForm => ({ ...form, groups: form.groups.map((g) => (g.key === key ? f(g) : g)) });

/** Every edit of the mix editor, pure. */
export function mixReducer(form: MixForm, action: MixAction): MixForm {
  switch (action.type) {
    case "load":
      return action.form;
    case "name":
      return { ...form, name: action.name };
    case "addGroup":
      return { ...form, groups: [...form.groups, action.group] };
    case "removeGroup":
      return { ...form, groups: form.groups.filter((g) => g.key !== action.group) };
    case "moveGroup": {
      const from = form.groups.findIndex((g) => g.key === action.group);
      return { ...form, groups: moveItem(form.groups, from, action.to) };
    }
    case "setGroup":
      return mapGroup(form, action.group, (g) => ({ ...g, ...action.patch }));
    case "addClip":
      return mapGroup(form, action.group, (g) => {
        const clips = [...g.clips];
        clips.splice(action.at ?? clips.length, 0, action.clip);
        return { ...g, clips };
      });
    case "removeClip":
      return { ...form, groups: form.groups.map((g) => ({ ...g, clips: g.clips.filter((c) => c.key !== action.clip) })) };
    case "moveClip": {
      const at = findClip(form, action.clip);
      if (!at) return form;
      const source = form.groups[at.g];
      if (source.key === action.group) return mapGroup(form, action.group, (g) => ({ ...g, clips: moveItem(g.clips, at.c, action.at) }));
      if (!form.groups.some((g) => g.key === action.group)) return form;
      const clip = source.clips[at.c];
      const removed = mixReducer(form, { type: "removeClip", clip: clip.key });
      return mixReducer(removed, { type: "addClip", group: action.group, clip, at: Math.max(0, action.at) });
    }
    case "setClip": {
      const at = findClip(form, action.clip);
      if (!at) return form;
      const g = form.groups[at.g];
      return mapGroup(form, g.key, (group) => ({ ...group, clips: group.clips.map((c) => (c.key === action.clip ? { ...c, ...action.patch } : c)) }));
    }
    case "text":
      return { ...form, text: { ...form.text, ...action.patch } };
    case "output":
      return { ...form, output: { ...form.output, ...action.patch } };
    case "count":
      return { ...form, count: { ...form.count, ...action.patch } };
  }
}

/** A seed the user has not seen: 0…999 999 (short enough to read out and type back). */
export function shuffleSeed(previous: number, random: () => number = Math.random): number {
  for (;;) {
    const seed = Math.floor(random() * 1_000_000);
    if (seed !== previous) return seed;
  }
}
