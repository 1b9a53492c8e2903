import { useEffect, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { DownIcon, FilmIcon, TrashIcon, UpIcon } from "../../../components/icons";
import { assetThumbnailUrl } from "../../../lib/asset-urls";
import { ASSET_DRAG_TYPE, MIX_CLIP_DRAG_TYPE } from "../../../lib/drag-types";
import { formatDuration } from "../../../lib/format";
import type { Asset } from "../../../types/api";
import type { ClipForm, GroupForm, MixAction } from "../lib/mix-form";
import { FieldProblems, problemProps } from "./field-problems";

interface GroupColumnProps {
  group: GroupForm;
  index: number;
  groupCount: number;
  /** Keys of the groups before and after this one (where Alt+← / Alt+→ move a clip). */
  neighbours: [string | null, string | null];
  assets: Record<string, Asset>;
  problems: Record<string, string[]>;
  dispatch: (action: MixAction) => void;
  onDropAsset: (groupKey: string, asset: Asset, at: number) => void;
}

const accepts = (e: DragEvent) => e.dataTransfer.types.includes(ASSET_DRAG_TYPE) || e.dataTransfer.types.includes(MIX_CLIP_DRAG_TYPE);

/** One group as a column: its name and rules on top, its clips below; a drop target for library videos and moved clips. */
export function GroupColumn({ group, index, groupCount, neighbours, assets, problems, dispatch, onDropAsset }: GroupColumnProps) {
  const [over, setOver] = useState(false);
  const g = `g:${group.key}`;
  const name = group.name || `group ${index + 1}`;

  function drop(e: DragEvent, at: number) {
    if (!accepts(e)) return;
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const clipKey = e.dataTransfer.getData(MIX_CLIP_DRAG_TYPE);
    if (clipKey) {
      dispatch({ type: "moveClip", clip: clipKey, group: group.key, at });
      return;
    }
    const json = e.dataTransfer.getData(ASSET_DRAG_TYPE);
    if (!json) return;
    try {
      onDropAsset(group.key, JSON.parse(json) as Asset, at);
    } catch {
      // Not an asset of this app: nothing to add.
    }
  }

  const allow = (e: DragEvent) => {
    if (!accepts(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = e.dataTransfer.types.includes(MIX_CLIP_DRAG_TYPE) ? "move" : "copy";
    setOver(true);
  };

  return (
    <section
      className={`mix-column ${over ? "mix-column--over" : ""}`}
      aria-label={`Group ${name}`}
      data-testid="mix-group"
      data-group-name={group.name}
      onDragOver={allow}
      onDragEnter={allow}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={(e) => drop(e, group.clips.length)}
    >
      <header className="mix-column__head">
        <div className="mix-column__title">
          <span className="mix-column__step" aria-hidden="true">{index + 1}</span>
          <input
            className="input mix-column__name"
            value={group.name}
            onChange={(e) => dispatch({ type: "setGroup", group: group.key, patch: { name: e.target.value } })}
            aria-label={`Name of group ${index + 1}`}
            data-testid="group-name"
            {...problemProps(`${g}-name-p`, problems[`${g}:name`])}
          />
          <button type="button" className="icon-button" disabled={index === 0} onClick={() => dispatch({ type: "moveGroup", group: group.key, to: index - 1 })} aria-label={`Play ${name} earlier`} title="Move left (plays earlier)">
            <span className="mix-turn"><UpIcon /></span>
          </button>
          <button type="button" className="icon-button" disabled={index === groupCount - 1} onClick={() => dispatch({ type: "moveGroup", group: group.key, to: index + 1 })} aria-label={`Play ${name} later`} title="Move right (plays later)">
            <span className="mix-turn"><DownIcon /></span>
          </button>
          <button type="button" className="icon-button" disabled={groupCount === 1} onClick={() => dispatch({ type: "removeGroup", group: group.key })} aria-label={`Remove group ${name}`} title="Remove group" data-testid="group-remove">
            <TrashIcon />
          </button>
        </div>
        <FieldProblems id={`${g}-name-p`} messages={problems[`${g}:name`]} />
        <div className="mix-column__rules">
          <label className="mix-rule">
            <span>Pick</span>
            <input className="input mix-rule__input" inputMode="numeric" placeholder="1" value={group.pick} onChange={(e) => dispatch({ type: "setGroup", group: group.key, patch: { pick: e.target.value } })} data-testid="group-pick" {...problemProps(`${g}-pick-p`, problems[`${g}:pick`])} />
          </label>
          <label className="mix-rule">
            <span>Max s</span>
            <input className="input mix-rule__input" inputMode="decimal" placeholder="—" value={group.maxLength} onChange={(e) => dispatch({ type: "setGroup", group: group.key, patch: { maxLength: e.target.value } })} data-testid="group-max-length" {...problemProps(`${g}-max-p`, problems[`${g}:maxLength`])} />
          </label>
          <label className="mix-rule mix-rule--check">
            <input type="checkbox" checked={group.optional} onChange={(e) => dispatch({ type: "setGroup", group: group.key, patch: { optional: e.target.checked } })} data-testid="group-optional" />
            <span>Optional</span>
          </label>
        </div>
        <FieldProblems id={`${g}-pick-p`} messages={problems[`${g}:pick`]} />
        <FieldProblems id={`${g}-max-p`} messages={problems[`${g}:maxLength`]} />
        <FieldProblems id={`${g}-p`} messages={[...(problems[g] ?? []), ...(problems[`${g}:clips`] ?? []), ...(problems[`${g}:optional`] ?? [])]} />
      </header>
      {group.clips.length === 0 ? (
        <div className="mix-column__empty" data-testid="group-empty">
          <FilmIcon size={22} />
          <p>Drag videos here from the library</p>
        </div>
      ) : (
        <ol className="mix-column__clips" aria-label={`Clips of ${name}`}>
          {group.clips.map((clip, c) => (
            <ClipRow key={clip.key} clip={clip} index={c} count={group.clips.length} neighbours={neighbours} asset={assets[clip.assetId]} problems={problems} dispatch={dispatch} groupKey={group.key} onDrop={(e) => drop(e, c)} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** The clip to focus once it shows up in its new column (moved there with the keyboard). */
let focusAfterMove: string | null = null;

interface ClipRowProps {
  neighbours: [string | null, string | null];
  clip: ClipForm;
  index: number;
  count: number;
  groupKey: string;
  asset?: Asset;
  problems: Record<string, string[]>;
  dispatch: (action: MixAction) => void;
  onDrop: (e: DragEvent) => void;
}

function ClipRow({ clip, index, count, neighbours, groupKey, asset, problems, dispatch, onDrop }: ClipRowProps) {
  const row = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (focusAfterMove !== clip.key) return;
    focusAfterMove = null;
    row.current?.focus();
  });
  // The keyboard's drag and drop, on the focused row: Alt+↑/↓ within the group, Alt+←/→ to the group before/after, Delete removes.
  function keys(e: KeyboardEvent<HTMLLIElement>) {
    if (e.target !== e.currentTarget) return;
    const to = e.altKey && e.key === "ArrowLeft" ? neighbours[0] : e.altKey && e.key === "ArrowRight" ? neighbours[1] : null;
    if (to) dispatch({ type: "moveClip", clip: clip.key, group: to, at: index });
    else if (e.altKey && e.key === "ArrowUp" && index > 0) dispatch({ type: "moveClip", clip: clip.key, group: groupKey, at: index - 1 });
    else if (e.altKey && e.key === "ArrowDown" && index < count - 1) dispatch({ type: "moveClip", clip: clip.key, group: groupKey, at: index + 1 });
    else if (e.key === "Delete") dispatch({ type: "removeClip", clip: clip.key });
    else return;
    e.preventDefault();
    focusAfterMove = e.key === "Delete" ? null : clip.key;
  }
  const c = `c:${clip.key}`;
  const name = asset?.name ?? clip.assetId;
  const set = (patch: Partial<ClipForm>) => dispatch({ type: "setClip", clip: clip.key, patch });
  const srcProblems = problems[`${c}:src`];
  return (
    <li
      ref={row}
      tabIndex={0}
      onKeyDown={keys}
      aria-label={`${name}, clip ${index + 1} of ${count}`}
      aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight Delete"
      title="Drag to reorder or to another group (keyboard: Alt + arrows, Delete)"
      className={`mix-clip ${srcProblems ? "mix-clip--bad" : ""}`}
      data-testid="mix-clip"
      data-asset-id={clip.assetId}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(MIX_CLIP_DRAG_TYPE, clip.key);
        e.dataTransfer.effectAllowed = "move";
      }}
      onDrop={onDrop}
    >
      <div className="mix-clip__top">
        <img className="mix-clip__thumb" src={assetThumbnailUrl(clip.assetId)} alt="" draggable={false} onError={(e) => (e.currentTarget.style.visibility = "hidden")} />
        <div className="mix-clip__name">
          <span title={name}>{name}</span>
          <span className="muted">{asset?.duration != null ? formatDuration(asset.duration) : ""}</span>
        </div>
        <div className="mix-clip__buttons">
          <button type="button" className="icon-button" disabled={index === 0} onClick={() => dispatch({ type: "moveClip", clip: clip.key, group: groupKey, at: index - 1 })} aria-label={`Move ${name} up`} title="Up"><UpIcon /></button>
          <button type="button" className="icon-button" disabled={index === count - 1} onClick={() => dispatch({ type: "moveClip", clip: clip.key, group: groupKey, at: index + 1 })} aria-label={`Move ${name} down`} title="Down"><DownIcon /></button>
          <button type="button" className="icon-button" onClick={() => dispatch({ type: "removeClip", clip: clip.key })} aria-label={`Remove ${name}`} title="Remove" data-testid="clip-remove"><TrashIcon /></button>
        </div>
      </div>
      <FieldProblems id={`${c}-src-p`} messages={srcProblems} />
      <div className="mix-clip__fields">
        <label className="mix-rule mix-rule--grow">
          <span>Label</span>
          <input className="input" placeholder={name} value={clip.label} onChange={(e) => set({ label: e.target.value })} data-testid="clip-label" {...problemProps(`${c}-label-p`, problems[`${c}:label`])} />
        </label>
        <label className="mix-rule">
          <span>In s</span>
          <input className="input mix-rule__input" inputMode="decimal" placeholder="0" value={clip.trim} onChange={(e) => set({ trim: e.target.value })} data-testid="clip-trim" {...problemProps(`${c}-trim-p`, problems[`${c}:trim`])} />
        </label>
        <label className="mix-rule">
          <span>Len s</span>
          <input className="input mix-rule__input" inputMode="decimal" placeholder="all" value={clip.length} onChange={(e) => set({ length: e.target.value })} data-testid="clip-length" {...problemProps(`${c}-length-p`, problems[`${c}:length`])} />
        </label>
      </div>
      <FieldProblems id={`${c}-label-p`} messages={problems[`${c}:label`]} />
      <FieldProblems id={`${c}-trim-p`} messages={problems[`${c}:trim`]} />
      <FieldProblems id={`${c}-length-p`} messages={problems[`${c}:length`]} />
    </li>
  );
}
