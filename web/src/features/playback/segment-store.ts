import { API_BASE, errorFromResponse } from "../../lib/api-client";
import type { TimelineDocument } from "../../types/timeline";

/** One rendered playback segment: fragmented MP4 bytes starting at time 0, shown from `start`. */
export interface Segment {
  index: number;
  /** The server's key of the segment (its ETag): what decides it, hashed. */
  key: string;
  start: number;
  end: number;
  /** Segments of the whole timeline. */
  count: number;
  bytes: ArrayBuffer;
  /** Ids of clips the server left out because their asset is missing. */
  missing: string[];
}

/**
 * POST /timelines/segments {document, index, width}. With `known` (a segment of an earlier
 * revision) the request carries its key in If-None-Match: an unchanged segment answers 304 and
 * its bytes are kept, so after an edit only the segments it touched travel again.
 */
export async function fetchSegment(document: TimelineDocument, index: number, width: number, known?: Segment, signal?: AbortSignal): Promise<Segment> {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "video/mp4" };
  if (known) headers["If-None-Match"] = `"${known.key}"`;
  const response = await fetch(`${API_BASE}/timelines/segments`, {
    method: "POST",
    headers,
    body: JSON.stringify({ document, index, width }),
    credentials: "same-origin",
    signal,
  });
  if (response.status !== 200 && response.status !== 304) throw errorFromResponse(response.status, await response.text(), response.statusText);
  const key = (response.headers.get("ETag") ?? "").replace(/"/g, "");
  const start = Number(response.headers.get("Cutroom-Segment-Start"));
  const end = Number(response.headers.get("Cutroom-Segment-End"));
  const count = Number(response.headers.get("Cutroom-Segment-Count"));
  const missing = (response.headers.get("Cutroom-Missing-Clips") ?? "").split(",").filter(Boolean);
  if (response.status === 304 && known) return { ...known, key, start, end, count, missing };
  return { index, key, start, end, count, bytes: await response.arrayBuffer(), missing };
}

/** Whether `error` is a fetch given up on purpose (AbortController), not a failure to show. */
export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/**
 * The segments of the document being edited, fetched once per revision: the player and the idle
 * prefetch share them, so Space starts from bytes already here. A new revision (a new document
 * object) revalidates what it had by key instead of fetching it again.
 *
 * Requests no one wants any more are aborted, so the server cancels their renders and renders what
 * is wanted instead: those of an older revision (an edit; the server keeps a render whose key the
 * edit did not change, as the new revision asks for it again at once), and, through `keepOnly`,
 * those the player no longer needs (a seek far away, playback stopped).
 */
export class SegmentStore {
  private doc: TimelineDocument | null = null;
  private fresh = new Map<number, Promise<Segment>>();
  private known = new Map<number, Segment>();
  /** Requests on their way, by index, with what aborts them. */
  private inFlight = new Map<number, { request: Promise<Segment>; controller: AbortController }>();

  constructor(
    readonly width: number,
    private readonly limit = 24,
  ) {}

  /** Segment `index` of `doc`. */
  get(doc: TimelineDocument, index: number): Promise<Segment> {
    if (doc !== this.doc) {
      this.doc = doc;
      this.fresh.clear();
      this.keepOnly([]);
    }
    const pending = this.fresh.get(index);
    if (pending) return pending;
    const controller = new AbortController();
    const request = fetchSegment(doc, index, this.width, this.known.get(index), controller.signal).then((segment) => {
      this.remember(segment);
      return segment;
    });
    const settled = () => {
      if (this.fresh.get(index) === request) this.fresh.delete(index);
      if (this.inFlight.get(index)?.request === request) this.inFlight.delete(index);
    };
    request.then(() => {
      if (this.inFlight.get(index)?.request === request) this.inFlight.delete(index);
    }, settled);
    this.fresh.set(index, request);
    this.inFlight.set(index, { request, controller });
    return request;
  }

  /** Aborts every request on its way but those for `wanted` (their promises reject with an AbortError). */
  keepOnly(wanted: Iterable<number>): void {
    for (const index of segmentsToAbort(this.inFlight.keys(), wanted)) {
      const entry = this.inFlight.get(index);
      if (!entry) continue;
      this.inFlight.delete(index);
      if (this.fresh.get(index) === entry.request) this.fresh.delete(index);
      entry.controller.abort();
    }
  }

  /** Indexes with a request on its way. */
  get pending(): number[] {
    return [...this.inFlight.keys()];
  }

  private remember(segment: Segment): void {
    this.known.delete(segment.index);
    this.known.set(segment.index, segment);
    // Oldest first (a Map keeps insertion order): a long session does not keep every segment.
    while (this.known.size > this.limit) {
      const oldest = this.known.keys().next().value as number;
      this.known.delete(oldest);
    }
  }
}

/** Which of the requests on their way (`inFlight`) to abort when only `wanted` are still wanted. */
export function segmentsToAbort(inFlight: Iterable<number>, wanted: Iterable<number>): number[] {
  const keep = new Set(wanted);
  return [...inFlight].filter((index) => !keep.has(index));
}
