import type { TimelineDocument } from "./timeline";

/** One problem reported by the server, `path` is a JSON Pointer into the request body. */
export interface ApiErrorDetail {
  path?: string;
  message: string;
  /** ASSET_IN_USE: where the use is (the path points into that timeline's document). */
  projectId?: string;
  timelineId?: string;
  trackId?: string;
  clipId?: string;
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

export type UserRole = "admin" | "member";
export type UserStatus = "active" | "invited" | "disabled";

/** An account; `lastSignInAt` is null until the first sign-in. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: UserRole;
  status: UserStatus;
  createdAt: string;
  lastSignInAt: string | null;
}

/** What sign-in, first-run setup and invite acceptance answer (the session cookie is set too). */
export interface SignedIn {
  token: string;
  user: User;
}

export type TokenScope = "read" | "write";

/** An API token as listed; its secret is never listed. */
export interface ApiToken {
  id: string;
  name: string;
  scope: TokenScope;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** The answer to creating a token: the only time its secret (`cr_...`) is shown. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}

/** A pending invitation as its link shows it. */
export interface InviteInfo {
  email: string;
  role: UserRole;
  expiresAt: string;
}

/** A one-time invite link made by an admin (new user or re-issued). */
export interface Invitation {
  user: User;
  inviteUrl: string;
  expiresAt: string;
}
