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

export interface EditorState {
  doc: TimelineDocument;
  selection: string | null;
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
  private clipboard: Clip | null = null;
  private snapshot: EditorState;
  sources: SourceDurations;

  constructor(doc: TimelineDocument, sources: SourceDurations = {}) {
    this.sources = sources;
    this.history = new EditHistory(edits.withExplicitLengths(doc, sources));
    this.snapshot = {
      doc: this.history.document,
      selection: null,
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
    const selection = extra.selection !== undefined ? extra.selection : this.snapshot.selection;
    this.publish({
      doc,
      selection: selection && findClip(doc, selection) ? selection : null,
      canUndo: this.history.undoLabel != null,
      canRedo: this.history.redoLabel != null,
      undoLabel: this.history.undoLabel,
      redoLabel: this.history.redoLabel,
      revision: this.snapshot.revision + 1,
      notice: null,
      ...extra,
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

  select(clipId: string | null): void {
    if (clipId !== this.snapshot.selection) this.publish({ selection: clipId });
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

  deleteSelection(ripple = false): boolean {
    const id = this.snapshot.selection;
    if (!id) return false;
    return ripple
      ? this.run(`Ripple delete ${id}`, (d) => edits.rippleDelete(d, id, this.ctx), { selection: null })
      : this.run(`Delete ${id}`, (d) => edits.deleteClips(d, [id], this.ctx), { selection: null });
  }

  copySelection(): boolean {
    const found = this.snapshot.selection ? findClip(this.snapshot.doc, this.snapshot.selection) : null;
    if (!found) return false;
    this.clipboard = JSON.parse(JSON.stringify(found.clip)) as Clip;
    return true;
  }

  get hasClipboard(): boolean {
    return this.clipboard != null;
  }

  /** Pastes at the playhead on the selected clip's track (or the clip's original track). */
  paste(): boolean {
    const clip = this.clipboard;
    if (!clip) return false;
    const doc = this.snapshot.doc;
    const selected = this.snapshot.selection ? findClip(doc, this.snapshot.selection) : null;
    const original = findClip(doc, clip.id);
    const track = selected?.track ?? original?.track ?? doc.tracks[0];
    if (!track) return false;
    let id = "";
    const ok = this.run(`Paste ${clip.id}`, (d) => {
      const result = edits.pasteClip(d, clip, track.id, this.snapshot.playhead, this.ctx);
      id = result.id;
      return result.doc;
    });
    if (ok) this.select(id);
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
