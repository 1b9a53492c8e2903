/**
 * The framework-free editor: the document with its undo history, the selection, the
 * playhead, the zoom, locked tracks and the clipboard. Views read `state` through
 * useSyncExternalStore and call methods; every document change is a command in the history.
 */
import type { Clip, TimelineDocument, TransitionType } from "../../../types/timeline";
import * as edits from "./edits";
import { setFade, type FadeEdge } from "./fades";
import { EditHistory, type EditCommand } from "./history";
import { clipLength, documentDuration, findClip, fpsOf, toFrame, type SourceDurations } from "./model";
import * as placing from "./placing";
import * as multi from "./selection";

export interface EditorState {
  doc: TimelineDocument;
  /** The clip the properties panel shows: the last one picked (null when none is). */
  selection: string | null;
  /** Every selected clip, in the order picked; `selection` is one of them. */
  selectedIds: readonly string[];
  playhead: number;
  /** Pixels per second on the timeline. */
  zoom: number;
  locked: ReadonlySet<string>;
  canUndo: boolean;
  canRedo: boolean;
  undoLabel: string | null;
  redoLabel: string | null;
  /** Bumped on every document change (autosave and preview watch it). */
  revision: number;
  /** The last refused edit, shown to the user. */
  notice: string | null;
  /** The time span the timeline view currently shows (for "preview the visible range"). */
  viewport: { start: number; end: number };
}

export const MIN_ZOOM = 8;
export const MAX_ZOOM = 600;

export class EditorEngine {
  private history: EditHistory;
  private listeners = new Set<() => void>();
  private clipboard: multi.ClipboardItem[] = [];
  private snapshot: EditorState;
  sources: SourceDurations;

  constructor(doc: TimelineDocument, sources: SourceDurations = {}) {
    this.sources = sources;
    this.history = new EditHistory(edits.withExplicitLengths(doc, sources));
    this.snapshot = {
      doc: this.history.document,
      selection: null,
      selectedIds: [],
      playhead: 0,
      zoom: 80,
      locked: new Set(),
      canUndo: false,
      canRedo: false,
      undoLabel: null,
      redoLabel: null,
      revision: 0,
      notice: null,
      viewport: { start: 0, end: 10 },
    };
  }

  get state(): EditorState {
    return this.snapshot;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getState = (): EditorState => this.snapshot;

  private publish(patch: Partial<EditorState>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.listeners.forEach((l) => l());
  }

  private get ctx(): edits.EditContext {
    return { sources: this.sources, locked: this.snapshot.locked };
  }

  private afterDocChange(extra: Partial<EditorState> = {}): void {
    const doc = this.history.document;
    const selectedIds = multi.pruneSelection(doc, extra.selectedIds ?? this.snapshot.selectedIds);
    const selection = extra.selection !== undefined ? extra.selection : this.snapshot.selection;
    this.publish({
      doc,
      selection: selection && selectedIds.includes(selection) ? selection : selectedIds[selectedIds.length - 1] ?? null,
      canUndo: this.history.undoLabel != null,
      canRedo: this.history.redoLabel != null,
      undoLabel: this.history.undoLabel,
      redoLabel: this.history.redoLabel,
      revision: this.snapshot.revision + 1,
      notice: null,
      ...extra,
      selectedIds,
    });
  }

  /** Runs an edit as a command; a refused edit leaves everything as it was and sets `notice`. */
  run(label: string, apply: (doc: TimelineDocument) => TimelineDocument, extra: Partial<EditorState> = {}, coalesceKey?: string): boolean {
    const command: EditCommand = { label, apply, coalesceKey };
    if (!coalesceKey) this.history.seal();
    try {
      const before = this.history.document;
      const after = this.history.execute(command);
      if (after === before) return false;
      this.afterDocChange(extra);
      return true;
    } catch (error) {
      if (error instanceof edits.EditRejected) {
        this.publish({ notice: error.message });
        return false;
      }
      throw error;
    }
  }

  undo(): void {
    if (this.history.undo()) this.afterDocChange();
  }

  redo(): void {
    if (this.history.redo()) this.afterDocChange();
  }

  /** Replaces the document with the server's (after a reload); clears the history. */
  load(doc: TimelineDocument): void {
    this.history.reset(edits.withExplicitLengths(doc, this.sources));
    this.afterDocChange();
  }

  setSources(sources: SourceDurations): void {
    this.sources = sources;
  }

  /** A plain click: this clip alone (null: nothing). */
  select(clipId: string | null): void {
    const { selection, selectedIds } = this.snapshot;
    if (clipId !== selection || selectedIds.length !== (clipId ? 1 : 0)) this.publish({ selection: clipId, selectedIds: clipId ? [clipId] : [] });
  }

  /** Selects exactly these clips (a marquee); the last one is the one the properties panel shows. */
  selectClips(ids: readonly string[]): void {
    const selectedIds = multi.pruneSelection(this.snapshot.doc, ids);
    const same = selectedIds.length === this.snapshot.selectedIds.length && selectedIds.every((id, i) => id === this.snapshot.selectedIds[i]);
    if (!same) this.publish({ selectedIds, selection: selectedIds[selectedIds.length - 1] ?? null });
  }

  /** Shift/Ctrl-click: adds the clip to the selection or takes it out. */
  toggleSelect(clipId: string): void {
    this.selectClips(multi.toggleInSelection(this.snapshot.selectedIds, clipId));
  }

  selectAll(): void {
    this.selectClips(multi.allClipIds(this.snapshot.doc));
  }

  dismissNotice(): void {
    if (this.snapshot.notice) this.publish({ notice: null });
  }

  get duration(): number {
    return documentDuration(this.snapshot.doc, this.sources);
  }

  get fps(): number {
    return fpsOf(this.snapshot.doc);
  }

  setPlayhead(t: number): void {
    const playhead = Math.max(0, toFrame(t, this.fps));
    if (playhead !== this.snapshot.playhead) this.publish({ playhead });
  }

  stepFrames(frames: number): void {
    this.setPlayhead(this.snapshot.playhead + frames / this.fps);
  }

  setViewport(start: number, end: number): void {
    const v = this.snapshot.viewport;
    if (Math.abs(v.start - start) > 1e-3 || Math.abs(v.end - end) > 1e-3) this.publish({ viewport: { start, end } });
  }

  setZoom(zoom: number): void {
    this.publish({ zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom)) });
  }

  toggleLock(trackId: string): void {
    const locked = new Set(this.snapshot.locked);
    if (locked.has(trackId)) locked.delete(trackId);
    else locked.add(trackId);
    this.publish({ locked });
  }

  // ----- edits -----

  moveClip(clipId: string, start: number, toTrackId?: string): boolean {
    return this.run(`Move clip ${clipId}`, (d) => edits.moveClip(d, clipId, start, this.ctx, toTrackId));
  }

  trimStart(clipId: string, start: number): boolean {
    return this.run(`Trim start of ${clipId}`, (d) => edits.trimStart(d, clipId, start, this.ctx));
  }

  trimEnd(clipId: string, end: number): boolean {
    return this.run(`Trim end of ${clipId}`, (d) => edits.trimEnd(d, clipId, end, this.ctx));
  }

  splitAtPlayhead(): boolean {
    const many = this.snapshot.selectedIds;
    if (many.length > 1) {
      let rightIds: string[] = [];
      const ok = this.run(`Split ${many.length} clips`, (d) => {
        const result = multi.splitClips(d, many, this.snapshot.playhead, this.ctx);
        rightIds = result.rightIds;
        return result.doc;
      });
      if (ok) this.selectClips(rightIds);
      return ok;
    }
    const id = this.snapshot.selection ?? this.clipUnderPlayhead();
    if (!id) {
      this.publish({ notice: "Select a clip under the playhead to split it." });
      return false;
    }
    let rightId = "";
    return this.run(`Split ${id}`, (d) => {
      const result = edits.splitClip(d, id, this.snapshot.playhead, this.ctx);
      rightId = result.rightId;
      return result.doc;
    }) && (this.select(rightId), true);
  }

  private clipUnderPlayhead(): string | null {
    const t = this.snapshot.playhead;
    for (let i = this.snapshot.doc.tracks.length - 1; i >= 0; i--) {
      const clip = this.snapshot.doc.tracks[i].clips.find((c) => c.start <= t && t < c.start + clipLength(c, this.sources));
      if (clip) return clip.id;
    }
    return null;
  }

  /** Deletes every selected clip (ripple: closing the gaps on their tracks), as one undo step. */
  deleteSelection(ripple = false): boolean {
    const ids = this.snapshot.selectedIds;
    if (ids.length === 0) return false;
    const what = ids.length === 1 ? ids[0] : `${ids.length} clips`;
    const cleared = { selection: null, selectedIds: [] };
    return ripple
      ? this.run(`Ripple delete ${what}`, (d) => multi.rippleDeleteClips(d, ids, this.ctx), cleared)
      : this.run(`Delete ${what}`, (d) => edits.deleteClips(d, ids, this.ctx), cleared);
  }

  /** Moves every selected clip by `dt` seconds and `dTrack` tracks (a group drag, Alt+arrows), as one undo step. */
  moveSelection(dt: number, dTrack = 0): boolean {
    const ids = this.snapshot.selectedIds;
    if (ids.length === 0) return false;
    return this.run(ids.length === 1 ? `Move clip ${ids[0]}` : `Move ${ids.length} clips`, (d) => multi.moveClips(d, ids, dt, dTrack, this.ctx));
  }

  copySelection(): boolean {
    if (this.snapshot.selectedIds.length === 0) return false;
    this.clipboard = multi.copyClips(this.snapshot.doc, this.snapshot.selectedIds, this.sources);
    return true;
  }

  get hasClipboard(): boolean {
    return this.clipboard.length > 0;
  }

  /**
   * Pastes at the playhead, keeping the copied clips' relative times and tracks. One copied
   * clip goes to the selected clip's track when one clip is selected (else its own track).
   */
  paste(): boolean {
    const items = this.clipboard;
    if (items.length === 0) return false;
    const doc = this.snapshot.doc;
    const selected = this.snapshot.selectedIds.length === 1 && this.snapshot.selection ? findClip(doc, this.snapshot.selection) : null;
    const original = doc.tracks.findIndex((t) => t.id === items[0].trackId);
    const shift = items.length === 1 && selected ? selected.trackIndex - (original >= 0 ? original : items[0].trackIndex) : 0;
    let ids: string[] = [];
    const ok = this.run(items.length === 1 ? `Paste ${items[0].clip.id}` : `Paste ${items.length} clips`, (d) => {
      const result = multi.pasteClips(d, items, this.snapshot.playhead, this.ctx, shift);
      ids = result.ids;
      return result.doc;
    });
    if (ok) this.selectClips(ids);
    return ok;
  }

  addClip(trackId: string, clip: Omit<Clip, "id">): string | null {
    let id: string | null = null;
    this.run(`Add ${clip.asset.type} clip`, (d) => {
      const result = edits.addClip(d, trackId, clip, this.ctx);
      id = result.id;
      return result.doc;
    });
    if (id) this.select(id);
    return id;
  }

  /** Places a new clip where it was dropped: added, inserted (ripple) or overwriting; one undo step. */
  placeClip(clip: Omit<Clip, "id">, target: placing.PlaceTarget): string | null {
    const verb = target.trackId == null ? "Add" : target.mode === "overwrite" ? "Overwrite with" : "Insert";
    return this.runPlacing(`${verb} ${clip.asset.type} clip`, (d) => placing.placeClip(d, clip, target, this.ctx));
  }

  /** Adds a new clip at the playhead on the first track free there (a new track when none is). */
  addAtPlayhead(clip: Omit<Clip, "start" | "id">): string | null {
    const start = this.snapshot.playhead;
    return this.runPlacing(`Add ${clip.asset.type} clip`, (d) => placing.addAtTime(d, { ...clip, start }, this.ctx));
  }

  private runPlacing(label: string, place: (doc: TimelineDocument) => { doc: TimelineDocument; id: string }): string | null {
    let id: string | null = null;
    this.run(label, (d) => {
      const result = place(d);
      id = result.id;
      return result.doc;
    });
    if (id) this.select(id);
    return id;
  }

  /** Properties-panel edits; `coalesceKey` (e.g. "c1:opacity") merges a slider drag into one undo step. */
  updateClip(clipId: string, patch: Partial<Clip>, label = `Edit ${clipId}`, coalesceKey?: string): boolean {
    return this.run(label, (d) => edits.updateClip(d, clipId, patch, this.ctx), {}, coalesceKey);
  }

  /** Sets a fade's length (a fade-handle drag commits once, so it is one undo step). */
  setFade(clipId: string, edge: FadeEdge, seconds: number): boolean {
    return this.run(`Fade ${edge} of ${clipId}`, (d) => setFade(d, clipId, edge, seconds, this.ctx));
  }

  setTransition(clipId: string, type: TransitionType | null, duration = 1): boolean {
    return this.run(type ? `Add ${type} transition` : "Remove transition", (d) => edits.setTransition(d, clipId, type, duration, this.ctx));
  }

  addTrack(): string {
    let id = "";
    this.run("Add track", (d) => {
      const result = edits.addTrack(d);
      id = result.id;
      return result.doc;
    });
    return id;
  }

  removeTrack(trackId: string): boolean {
    return this.run("Remove track", (d) => edits.removeTrack(d, trackId, this.ctx));
  }

  reorderTrack(trackId: string, direction: 1 | -1): boolean {
    return this.run("Reorder tracks", (d) => edits.reorderTrack(d, trackId, direction));
  }

  setTrackFlags(trackId: string, patch: Parameters<typeof edits.setTrackFlags>[2]): boolean {
    return this.run("Change track", (d) => edits.setTrackFlags(d, trackId, patch));
  }

  setOutput(patch: Partial<TimelineDocument["output"]>): boolean {
    return this.run("Change output", (d) => ({ ...d, output: { ...d.output, ...patch } }));
  }
}
