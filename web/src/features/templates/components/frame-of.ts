import type { TimelineDocument } from "../../../types/timeline";

/** The engine's picture of a document at t as an object URL (given by the app: the timeline feature owns it). */
export type FrameOf = (document: TimelineDocument, t: number, width: number, signal: AbortSignal) => Promise<string>;
