import type { TimelineDocument } from "./timeline";

/** One problem reported by the server, `path` is a JSON Pointer into the request body. */
export interface ApiErrorDetail {
  path?: string;
  message: string;
}

export interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

export interface ApiMeta {
  requestId?: string;
  timestamp?: string;
  pagination?: Pagination;
}

export interface Project {
  id: string;
  name: string;
  createdAt?: string;
  updatedAt?: string;
}

export type AssetKind = "video" | "audio" | "image" | "font" | "captions";

export interface Asset {
  id: string;
  projectId: string;
  name: string;
  kind: AssetKind;
  size: number;
  duration: number | null;
  width: number | null;
  height: number | null;
  fps: number | null;
  hasVideo: boolean;
  hasAudio: boolean;
  videoCodec?: string | null;
  audioCodec?: string | null;
  /** A font's family name (font assets). */
  fontFamily?: string | null;
  createdAt: string;
}

export interface Timeline {
  id: string;
  projectId: string;
  name: string;
  version: number | string;
  document: TimelineDocument;
  updatedAt?: string;
}

export type RenderStatus = "queued" | "rendering" | "completed" | "failed" | "cancelled";

export interface Render {
  id: string;
  status: RenderStatus;
  progress: number;
  stage?: string | null;
  queuePosition?: number | null;
  frame?: number | null;
  totalFrames?: number | null;
  fps?: number | null;
  etaSeconds?: number | null;
  error?: string | { code?: string; message?: string } | null;
  outputUrl?: string | null;
  outputSize?: number | null;
  format?: string;
  timelineId?: string | null;
  projectId?: string | null;
  createdAt?: string;
  startedAt?: string | null;
  completedAt?: string | null;
}
