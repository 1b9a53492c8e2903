import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { ApiError, errorMessage } from "../../../lib/api-client";
import type { Asset, Timeline } from "../../../types/api";
import { createTimeline, getTimeline, listTimelines, updateTimeline } from "../api/timelines";
import { EditorEngine } from "../engine/editor-engine";
import { emptyDocument, type SourceDurations } from "../engine/model";

const TIMELINE_NAME = "Main timeline";
const AUTOSAVE_DELAY_MS = 700;

export type SaveStatus = "loading" | "saved" | "dirty" | "saving" | "conflict" | "invalid" | "error";

export interface SaveState {
  status: SaveStatus;
  version: Timeline["version"] | null;
  timelineId: string | null;
  message: string | null;
  details: ApiError["details"];
}

export function sourcesOf(assets: Asset[]): SourceDurations {
  const sources: Record<string, number | null> = {};
  for (const a of assets) sources[`asset:${a.id}`] = a.kind === "image" ? null : a.duration;
  return sources;
}

/**
 * One editor session for a project: loads (or creates) its timeline into an EditorEngine,
 * autosaves every change with PUT If-Match, and on a 409 stops and lets the user choose:
 * reload theirs (dropping local edits) or overwrite with ours. Never loses silently.
 */
export function useTimelineSession(projectId: string, assets: Asset[], assetsReady: boolean) {
  const [engine] = useState(() => new EditorEngine(emptyDocument()));
  const state = useSyncExternalStore(engine.subscribe, engine.getState, engine.getState);
  const [save, setSaveState] = useState<SaveState>({ status: "loading", version: null, timelineId: null, message: null, details: [] });
  // The ref is updated synchronously so awaiting code (flush) reads the outcome at once.
  const saveRef = useRef(save);
  const setSave = useCallback((next: SaveState | ((s: SaveState) => SaveState)) => {
    saveRef.current = typeof next === "function" ? next(saveRef.current) : next;
    setSaveState(saveRef.current);
  }, []);
  const savedRevision = useRef(0);
  const loadedRef = useRef(false);
  const inFlight = useRef<Promise<void> | null>(null);

  const sources = useMemo(() => sourcesOf(assets), [assets]);
  useEffect(() => engine.setSources(sources), [engine, sources]);

  useEffect(() => {
    if (!assetsReady || loadedRef.current) return;
    loadedRef.current = true;
    void (async () => {
      try {
        const list = await listTimelines(projectId);
        const latest = [...list].sort((a, b) => (b.updatedAt ?? "").localeCompare(a.updatedAt ?? ""))[0];
        if (latest) {
          const full = await getTimeline(latest.id);
          engine.setSources(sources);
          engine.load(full.document);
          savedRevision.current = engine.state.revision;
          setSave({ status: "saved", version: full.version, timelineId: full.id, message: null, details: [] });
        } else {
          savedRevision.current = engine.state.revision;
          setSave({ status: "saved", version: null, timelineId: null, message: null, details: [] });
        }
      } catch (error) {
        setSave({ status: "error", version: null, timelineId: null, message: `Could not load the timeline: ${errorMessage(error)}`, details: [] });
      }
    })();
  }, [assetsReady, projectId, engine, sources, setSave]);

  const persist = useCallback(
    async (force = false): Promise<void> => {
      while (inFlight.current) await inFlight.current;
      const current = saveRef.current;
      if (current.status === "loading" || (current.status === "conflict" && !force)) return;
      const revision = engine.state.revision;
      if (revision === savedRevision.current && current.timelineId) return;
      const doc = engine.state.doc;
      const work = (async () => {
        setSave((s) => ({ ...s, status: "saving" }));
        try {
          let version = current.version;
          if (force && current.timelineId) version = (await getTimeline(current.timelineId)).version;
          const saved = current.timelineId && version != null
            ? await updateTimeline(current.timelineId, version, TIMELINE_NAME, doc)
            : await createTimeline(projectId, TIMELINE_NAME, doc);
          savedRevision.current = revision;
          setSave({ status: engine.state.revision === revision ? "saved" : "dirty", version: saved.version, timelineId: saved.id, message: null, details: [] });
        } catch (error) {
          const apiError = error instanceof ApiError ? error : new ApiError(0, "ERROR", errorMessage(error));
          if (apiError.status === 409) {
            setSave((s) => ({ ...s, status: "conflict", message: "This timeline was changed elsewhere (another tab or person) since you opened it.", details: [] }));
          } else if (apiError.status === 422) {
            setSave((s) => ({ ...s, status: "invalid", message: "Not saved: the server found problems in the timeline.", details: apiError.details }));
          } else {
            setSave((s) => ({ ...s, status: "error", message: `Not saved: ${apiError.message}`, details: [] }));
          }
        }
      })();
      inFlight.current = work;
      try {
        await work;
      } finally {
        inFlight.current = null;
      }
    },
    [engine, projectId, setSave],
  );

  // Autosave after a pause in editing.
  useEffect(() => {
    if (save.status === "loading" || save.status === "conflict") return;
    if (state.revision === savedRevision.current) return;
    setSave((s) => (s.status === "saved" ? { ...s, status: "dirty" } : s));
    const timer = window.setTimeout(() => void persist(), AUTOSAVE_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [state.revision, save.status, persist, setSave]);

  // Warn before leaving with unsaved edits.
  useEffect(() => {
    const handler = (event: BeforeUnloadEvent) => {
      if (engine.state.revision !== savedRevision.current) {
        event.preventDefault();
        event.returnValue = "";
      }
    };
    window.addEventListener("beforeunload", handler);
    return () => window.removeEventListener("beforeunload", handler);
  }, [engine]);

  /** After a conflict: take the server's version (local edits are dropped, as the user chose). */
  const reloadTheirs = useCallback(async () => {
    const id = saveRef.current.timelineId;
    if (!id) return;
    const fresh = await getTimeline(id);
    engine.load(fresh.document);
    savedRevision.current = engine.state.revision;
    setSave({ status: "saved", version: fresh.version, timelineId: fresh.id, message: null, details: [] });
  }, [engine, setSave]);

  /** After a conflict: write ours over theirs, on purpose. */
  const overwrite = useCallback(() => persist(true), [persist]);

  /** Saves now (before a render) and resolves to the timeline id. */
  const flush = useCallback(async (): Promise<string> => {
    await persist();
    const s = saveRef.current;
    if (s.status === "conflict") throw new Error("Resolve the save conflict first.");
    if (s.status === "invalid") throw new Error("Fix the problems in the timeline first.");
    if (s.status === "error") throw new Error(s.message ?? "The timeline could not be saved.");
    if (!s.timelineId) throw new Error("The timeline is not saved yet.");
    return s.timelineId;
  }, [persist]);

  return { engine, state, save, sources, reloadTheirs, overwrite, flush };
}

export type TimelineSession = ReturnType<typeof useTimelineSession>;
