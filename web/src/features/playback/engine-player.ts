import type { TimelineDocument } from "../../types/timeline";
import { fpsOf } from "../timeline/engine/model";
import { isAbort } from "./segment-store";
import type { Segment, SegmentStore } from "./segment-store";
import { segmentAt, wantedSegments } from "./segments";

/** What the segments are: H.264 High and AAC-LC in fragmented MP4. */
export const SEGMENT_MIME = 'video/mp4; codecs="avc1.64001E, mp4a.40.2"';

/** Whether this browser can append the engine's segments (Media Source Extensions with H.264/AAC). */
export function enginePlaybackSupported(): boolean {
  return typeof MediaSource !== "undefined" && MediaSource.isTypeSupported(SEGMENT_MIME);
}

/**
 * Set while the engine player drives the playhead (from the <video>'s clock), so the editor's
 * own clock (usePlayback) does not move it too.
 */
export const enginePlaybackDriving = { active: false };

export interface PlayerEvents {
  /** The video's time, once per animation frame while playing. */
  onTime(t: number): void;
  /** The first picture is on screen. */
  onPlaying(): void;
  /** The end of the timeline was reached. */
  onEnded(): void;
  onError(message: string): void;
}

/** Segments kept appended ahead of the playhead. */
const AHEAD = 3;
/** Seconds of played media kept before the playhead (the rest is removed from the buffer). */
const BEHIND = 10;

/**
 * Plays the engine's segments of a document in a <video> through Media Source Extensions: one
 * SourceBuffer in "segments" mode, each segment appended with timestampOffset = its start, so the
 * media timeline is the timeline. Keeps AHEAD segments appended past the playhead; after an edit
 * (setDoc) re-appends only the segments whose key changed.
 */
export class EnginePlayer {
  private session = 0;
  private mediaSource: MediaSource | null = null;
  private buffer: SourceBuffer | null = null;
  private url: string | null = null;
  private doc: TimelineDocument | null = null;
  private fps = 30;
  private count: number | null = null;
  /** Index → key of what is in the buffer. */
  private appended = new Map<number, Segment>();
  private requested = new Set<number>();
  private work: Promise<void> = Promise.resolve();
  private frame = 0;
  /** Times the video waited for data after it started (a stall). */
  stalls = 0;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly store: SegmentStore,
    private readonly events: PlayerEvents,
  ) {
    video.addEventListener("waiting", () => {
      if (this.mediaSource && this.video.currentTime > 0 && !this.video.paused) this.stalls++;
    });
    video.addEventListener("ended", () => {
      if (this.mediaSource) this.events.onEnded();
    });
  }

  /** Plays `doc` from `t` at `rate` (1 = real time). */
  async start(doc: TimelineDocument, t: number, rate: number): Promise<void> {
    // Not stop(): a prefetch of the segment under the playhead may be on its way, and is wanted.
    this.halt();
    const session = ++this.session;
    this.doc = doc;
    this.fps = fpsOf(doc);
    const mediaSource = new MediaSource();
    this.mediaSource = mediaSource;
    this.url = URL.createObjectURL(mediaSource);
    this.video.src = this.url;
    await new Promise((resolve) => mediaSource.addEventListener("sourceopen", resolve, { once: true }));
    if (session !== this.session) return;
    try {
      const buffer = mediaSource.addSourceBuffer(SEGMENT_MIME);
      buffer.mode = "segments";
      this.buffer = buffer;
      let first: Segment | null = null;
      while (!first) {
        try {
          first = await this.store.get(this.doc ?? doc, segmentAt(t, this.fps));
        } catch (error) {
          // An edit while it was on its way aborted it: ask for the new revision's.
          if (session !== this.session) return;
          if (!isAbort(error)) throw error;
        }
      }
      if (session !== this.session) return;
      await this.append(session, first);
      if (session !== this.session) return;
      this.pump(session);
      this.video.currentTime = Math.max(first.start, Math.min(t, first.end - 1e-3));
      this.video.playbackRate = rate;
      await this.video.play();
      if (session !== this.session) return;
      this.events.onPlaying();
      const tick = () => {
        if (session !== this.session) return;
        this.events.onTime(this.video.currentTime);
        this.pump(session);
        this.frame = requestAnimationFrame(tick);
      };
      this.frame = requestAnimationFrame(tick);
    } catch (error) {
      if (session === this.session) this.fail(error);
    }
  }

  /** Stops, lets go of the media (the <video> shows nothing until the next start) and aborts the requests on their way. */
  stop(): void {
    this.halt();
    this.store.keepOnly([]);
  }

  private halt(): void {
    this.session++;
    cancelAnimationFrame(this.frame);
    const hadMedia = this.mediaSource != null;
    this.mediaSource = null;
    this.buffer = null;
    this.appended.clear();
    this.requested.clear();
    this.count = null;
    this.work = Promise.resolve();
    if (hadMedia) {
      this.video.pause();
      this.video.removeAttribute("src");
      this.video.load();
    }
    if (this.url) URL.revokeObjectURL(this.url);
    this.url = null;
  }

  setRate(rate: number): void {
    this.video.playbackRate = rate;
  }

  /** Jumps to `t` (the user moved the playhead while playing). */
  seek(t: number): void {
    this.video.currentTime = t;
    this.pump(this.session);
  }

  /** The document was edited: segments ahead whose key changed are fetched and replaced. */
  setDoc(doc: TimelineDocument): void {
    if (doc === this.doc || !this.mediaSource) return;
    this.doc = doc;
    this.fps = fpsOf(doc);
    this.requested.clear();
    this.count = null;
    const session = this.session;
    const current = segmentAt(this.video.currentTime, this.fps);
    for (const index of [...this.appended.keys()].filter((i) => i >= current)) this.request(session, index);
    this.pump(session);
  }

  /**
   * Asks for the segments wanted from the playhead on that are neither appended nor on their way,
   * and aborts the requests for any other (after a seek far away): the server then stops rendering them.
   */
  private pump(session: number): void {
    if (session !== this.session || !this.doc) return;
    const current = segmentAt(this.video.currentTime, this.fps);
    const wanted = wantedSegments(current, AHEAD, this.count);
    // Appended segments ahead being replaced after an edit stay wanted too.
    this.store.keepOnly([...wanted, ...[...this.appended.keys()].filter((i) => i >= current)]);
    for (const index of wanted) {
      if (!this.appended.has(index)) this.request(session, index);
    }
  }

  private request(session: number, index: number): void {
    if (this.requested.has(index) || !this.doc) return;
    this.requested.add(index);
    this.store
      .get(this.doc, index)
      .then((segment) => this.append(session, segment))
      .catch((error: unknown) => {
        if (session !== this.session) return;
        this.requested.delete(index);
        // Given up on purpose (not wanted any more, or an edit superseded it): pump asks again if needed.
        if (!isAbort(error)) this.fail(error);
      });
  }

  /** Appends (or replaces) one segment; buffer operations run one at a time. */
  private append(session: number, segment: Segment): Promise<void> {
    const step = this.work.then(async () => {
      const buffer = this.buffer;
      const mediaSource = this.mediaSource;
      if (session !== this.session || !buffer || !mediaSource) return;
      this.count = segment.count;
      const had = this.appended.get(segment.index);
      if (had && had.key === segment.key) return;
      if (had) await this.run(buffer, () => buffer.remove(had.start, had.end));
      await this.trimBehind(buffer);
      await this.run(buffer, () => {
        buffer.timestampOffset = segment.start;
        buffer.appendBuffer(segment.bytes);
      });
      if (session !== this.session) return;
      this.appended.set(segment.index, segment);
      // With the last segment in, the video may end (an append or remove after it reopens the source).
      if (mediaSource.readyState === "open" && this.appended.has(segment.count - 1) && !buffer.updating) mediaSource.endOfStream();
    });
    this.work = step.catch(() => undefined);
    return step;
  }

  /** Removes media more than BEHIND seconds before the playhead, so a long play does not fill the quota. */
  private async trimBehind(buffer: SourceBuffer): Promise<void> {
    const before = this.video.currentTime - BEHIND;
    for (const [index, segment] of this.appended) {
      if (segment.end < before) this.appended.delete(index);
    }
    if (before > 0 && buffer.buffered.length > 0 && buffer.buffered.start(0) < before - 2) {
      await this.run(buffer, () => buffer.remove(0, before));
    }
  }

  private run(buffer: SourceBuffer, operation: () => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        buffer.removeEventListener("updateend", done);
        buffer.removeEventListener("error", failed);
        resolve();
      };
      const failed = () => {
        buffer.removeEventListener("updateend", done);
        buffer.removeEventListener("error", failed);
        reject(new Error("the browser could not append a playback segment"));
      };
      const go = () => {
        buffer.addEventListener("updateend", done);
        buffer.addEventListener("error", failed);
        operation();
      };
      if (buffer.updating) buffer.addEventListener("updateend", go, { once: true });
      else go();
    });
  }

  private fail(error: unknown): void {
    this.events.onError(error instanceof Error ? error.message : String(error));
  }
}
