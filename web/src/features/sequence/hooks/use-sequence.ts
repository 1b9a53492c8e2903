import { useEffect, useMemo, useState } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import { createStore, useStore, type Store } from "../../../lib/create-store";
import { notify } from "../../../stores/notifications-store";
import type { Asset, Timeline } from "../../../types/api";
import { createTimeline, getTimeline, listTimelines, updateTimeline } from "../api/timelines";
import {
  buildDocument,
  clipLengthMs,
  describePointer,
  moveItem,
  newItemKey,
  OUTPUT_PRESETS,
  trackFor,
  tracksFromDocument,
  type OutputSettings,
  type SequenceTracks,
} from "../utils/sequence-document";

const TIMELINE_NAME = "Main sequence";

export interface SequenceState {
  tracks: SequenceTracks;
  output: OutputSettings;
  timeline: Pick<Timeline, "id" | "version" | "name"> | null;
  /** JSON of the last document the server accepted, to tell whether there are unsaved edits. */
  savedSignature: string | null;
  loading: boolean;
  saving: boolean;
  saveError: ApiError | null;
  conflict: boolean;
}

function initialState(): SequenceState {
  const preset = OUTPUT_PRESETS[0];
  return {
    tracks: { main: [], audio: [] },
    output: { width: preset.width, height: preset.height, fps: preset.fps },
    timeline: null,
    savedSignature: null,
    loading: true,
    saving: false,
    saveError: null,
    conflict: false,
  };
}

/** The sequence of one project with its actions; one store per mounted workspace. */
class SequenceController {
  readonly store: Store<SequenceState> = createStore(initialState());
  private inFlight: Promise<Timeline | null> | null = null;

  constructor(private readonly projectId: string) {}

  private patch(patch: Partial<SequenceState>) {
    this.store.set((s) => ({ ...s, ...patch }));
  }

  add(asset: Asset): void {
    const track = trackFor(asset);
    if (!track) {
      notify(`${asset.name}: only video, image and audio files go in the sequence.`, "error");
      return;
    }
    if (clipLengthMs(asset) == null) {
      notify(`${asset.name}: its duration is unknown, so it can't be placed.`, "error");
      return;
    }
    this.store.set((s) => ({ ...s, tracks: { ...s.tracks, [track]: [...s.tracks[track], { key: newItemKey(), asset }] } }));
  }

  remove(track: keyof SequenceTracks, key: string): void {
    this.store.set((s) => ({ ...s, tracks: { ...s.tracks, [track]: s.tracks[track].filter((i) => i.key !== key) } }));
  }

  move(track: keyof SequenceTracks, from: number, to: number): void {
    this.store.set((s) => ({ ...s, tracks: { ...s.tracks, [track]: moveItem(s.tracks[track], from, to) } }));
  }

  setOutput(output: OutputSettings): void {
    this.patch({ output });
  }

  /** Loads the project's most recently updated timeline once the assets are known. */
  async loadLatest(assets: Asset[]): Promise<void> {
    try {
      const timelines = await listTimelines(this.projectId);
      const latest = [...timelines].sort((a, b) => (b.updatedAt ?? "").localeCompare(a.updatedAt ?? ""))[0];
      const untouched = () => {
        const { tracks } = this.store.get();
        return tracks.main.length + tracks.audio.length === 0;
      };
      // Never replace clips the user added while the list was loading.
      if (latest && untouched()) {
        // The list may carry documents; fetch the full record to be sure.
        const full = latest.document ? latest : await getTimeline(latest.id);
        if (!untouched()) return;
        if (!this.apply(full, assets)) {
          notify(`“${full.name}” uses features this sequence view can't show; saving here creates a new timeline.`, "info", 8000);
        }
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) notify(`Could not load the saved sequence: ${errorMessage(error)}`, "error");
    } finally {
      this.patch({ loading: false });
    }
  }

  private apply(timeline: Timeline, assets: Asset[]): boolean {
    const read = tracksFromDocument(timeline.document, assets);
    if (!read) return false;
    const signature = JSON.stringify(buildDocument(read.tracks, read.output).document);
    this.patch({
      tracks: read.tracks,
      output: read.output,
      timeline: { id: timeline.id, version: timeline.version, name: timeline.name },
      savedSignature: signature,
      saveError: null,
      conflict: false,
    });
    return true;
  }

  /** After a 409: take the server's version (local edits are dropped, as the user asked). */
  async reload(assets: Asset[]): Promise<void> {
    const current = this.store.get().timeline;
    if (!current) return;
    try {
      const fresh = await getTimeline(current.id);
      if (!this.apply(fresh, assets)) {
        // Keep the local edits but stop pointing at a timeline this view can't represent.
        this.patch({ timeline: null, savedSignature: null, conflict: false });
        notify("The saved version uses features this view can't show; saving will create a new timeline.", "info", 8000);
      } else {
        notify("Loaded the latest saved version.", "success");
      }
    } catch (error) {
      notify(`Reload failed: ${errorMessage(error)}`, "error");
    }
  }

  /** Saves if there are unsaved edits; resolves to the saved timeline or throws the ApiError. */
  async save(): Promise<Timeline | null> {
    while (this.inFlight) await this.inFlight.catch(() => null);
    const state = this.store.get();
    const { document } = buildDocument(state.tracks, state.output);
    const signature = JSON.stringify(document);
    if (state.timeline && state.savedSignature === signature) {
      return { ...state.timeline, projectId: this.projectId, document };
    }
    this.patch({ saving: true, saveError: null });
    const request = state.timeline
      ? updateTimeline(state.timeline.id, state.timeline.version, state.timeline.name || TIMELINE_NAME, document)
      : createTimeline(this.projectId, TIMELINE_NAME, document);
    this.inFlight = request;
    try {
      const saved = await request;
      this.patch({
        saving: false,
        timeline: { id: saved.id, version: saved.version, name: saved.name },
        savedSignature: signature,
        saveError: null,
        conflict: false,
      });
      return saved;
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, "ERROR", errorMessage(error));
      this.patch({ saving: false, saveError: apiError.status === 409 ? null : apiError, conflict: apiError.status === 409 });
      throw apiError;
    } finally {
      this.inFlight = null;
    }
  }
}

/** Sequence state and actions for the project; loads its latest timeline once assets are ready. */
export function useSequence(projectId: string, assets: Asset[], assetsReady: boolean) {
  const [controller] = useState(() => new SequenceController(projectId));
  const state = useStore(controller.store);
  const [loadStarted, setLoadStarted] = useState(false);

  useEffect(() => {
    if (assetsReady && !loadStarted) {
      setLoadStarted(true);
      void controller.loadLatest(assets);
    }
  }, [assetsReady, loadStarted, controller, assets]);

  const built = useMemo(() => buildDocument(state.tracks, state.output), [state.tracks, state.output]);
  const signature = useMemo(() => JSON.stringify(built.document), [built]);
  const dirty = state.savedSignature !== signature;

  return {
    ...state,
    document: built.document,
    dirty,
    isEmpty: state.tracks.main.length + state.tracks.audio.length === 0,
    describePath: (pointer: string) => describePointer(pointer, built.clipLabels),
    add: (asset: Asset) => controller.add(asset),
    remove: (track: keyof SequenceTracks, key: string) => controller.remove(track, key),
    move: (track: keyof SequenceTracks, from: number, to: number) => controller.move(track, from, to),
    setOutput: (output: OutputSettings) => controller.setOutput(output),
    save: () => controller.save(),
    reload: () => controller.reload(assets),
  };
}
