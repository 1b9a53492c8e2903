import type { ApiErrorDetail, ApiMeta } from "../types/api";

/** Prefix of every REST endpoint; the UI is served from the same origin. */
export const API_BASE = "/api/v1";

/** An error answered by the API (or a network failure, with status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: ApiErrorDetail[];
  /** Seconds from a Retry-After header (429), when the server sent one. */
  readonly retryAfter: number | null;

  constructor(status: number, code: string, message: string, details: ApiErrorDetail[] = [], retryAfter: number | null = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.retryAfter = retryAfter;
  }
}

export interface ApiResult<T> {
  data: T;
  meta: ApiMeta;
}

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Called whenever a request answers 401, so the app can ask the user to sign in. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

const statusFallback: Record<number, string> = {
  400: "The request was malformed.",
  401: "Please sign in.",
  403: "You are not allowed to do that.",
  404: "Not found.",
  409: "It was changed elsewhere.",
  413: "The file is too large.",
  415: "This file type is not supported.",
  422: "The request is invalid.",
  429: "The server is busy; try again shortly.",
};

/** Reads a Retry-After header given in seconds (the HTTP-date form is not used by Cutroom). */
export function parseRetryAfter(header: string | null | undefined): number | null {
  if (!header || !/^\s*\d+\s*$/.test(header)) return null;
  return Number.parseInt(header, 10);
}

/** The message for a sign-in attempt refused as too frequent. */
export function rateLimitMessage(retryAfter: number | null): string {
  return retryAfter == null ? "Too many attempts, try again shortly." : `Too many attempts, try again in ${Math.max(1, retryAfter)} s`;
}

/** The server writes messages lower-case and without a full stop (they compose into logs); shown alone, they read as sentences. */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (!trimmed) return trimmed;
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?…)]$/.test(capital) ? capital : `${capital}.`;
}

/** Builds an ApiError from a response body, tolerating bodies that are not the JSON envelope (e.g. from a proxy). */
export function errorFromResponse(status: number, bodyText: string, statusText = "", retryAfterHeader: string | null = null): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed && typeof parsed === "object" && "error" in parsed) {
      const error = (parsed as { error: { code?: string; message?: string; details?: ApiErrorDetail[] } }).error;
      const code = error.code ?? `HTTP_${status}`;
      // The wait is in a header, not in the server's message: say it in one sentence.
      const message = code === "RATE_LIMITED" ? rateLimitMessage(retryAfter) : error.message ? asSentence(error.message) : statusFallback[status] ?? (statusText || `Request failed (${status})`);
      return new ApiError(status, code, message, Array.isArray(error.details) ? error.details : [], retryAfter);
    }
  } catch {
    // Not JSON: fall through to a message derived from the status.
  }
  return new ApiError(status, `HTTP_${status}`, statusFallback[status] ?? (statusText || `Request failed (${status})`), [], retryAfter);
}

/** `currentPassword` → "Current password". */
function fieldLabel(field: string): string {
  const words = field.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Problems the server tied to request fields, keyed by the field name (`/currentPassword` →
 * `currentPassword`). A detail is often a predicate ("is wrong", "must not be empty"): it is
 * given its field as subject ("Current password is wrong.").
 */
export function fieldErrors(error: ApiError): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const detail of error.details) {
    const field = detail.path?.replace(/^\//, "").split("/")[0];
    if (!field || field in byField) continue;
    const message = detail.message.trim();
    byField[field] = asSentence(/^(is|are|must|should|cannot|can't|needs?|has|was|does)\b/i.test(message) ? `${fieldLabel(field)} ${message}` : message);
  }
  return byField;
}

/** Notifies the unauthorized handler; shared with the XHR uploader. */
export function reportUnauthorized(path: string): void {
  if (!path.startsWith("/auth/") && unauthorizedHandler) unauthorizedHandler();
}

interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(API_BASE + path, {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: "same-origin",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, "NETWORK_ERROR", "Cannot reach the Cutroom server.");
  }
  const text = await response.text();
  if (!response.ok) {
    if (response.status === 401) reportUnauthorized(path);
    throw errorFromResponse(response.status, text, response.statusText, response.headers.get("Retry-After"));
  }
  if (!text) return { data: undefined as T, meta: {} };
  let envelope: { data: T; meta?: ApiMeta; pagination?: ApiMeta["pagination"] };
  try {
    envelope = JSON.parse(text) as { data: T; meta?: ApiMeta; pagination?: ApiMeta["pagination"] };
  } catch {
    throw new ApiError(response.status, "BAD_RESPONSE", "The server answered with something that is not JSON.");
  }
  // The server puts `pagination` beside `meta` (not inside it); accept both.
  const meta = envelope.meta ?? {};
  return { data: envelope.data, meta: meta.pagination || !envelope.pagination ? meta : { ...meta, pagination: envelope.pagination } };
}

/** The one fetch wrapper: resolves to the envelope's `data`, or throws ApiError. */
export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>("GET", path, options).then((r) => r.data),
  list: <T>(path: string, options?: RequestOptions) => request<T[]>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("POST", path, { ...options, body }).then((r) => r.data),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PUT", path, { ...options, body }).then((r) => r.data),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>("PATCH", path, { ...options, body }).then((r) => r.data),
  delete: <T = void>(path: string, options?: RequestOptions) => request<T>("DELETE", path, options).then((r) => r.data),
};

/** A JSON document the API serves as it is, outside the envelope (the OpenAPI description). */
export async function getDocument<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(API_BASE + path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "NETWORK_ERROR", "Cannot reach the Cutroom server.");
  }
  const text = await response.text();
  if (!response.ok) throw errorFromResponse(response.status, text, response.statusText, response.headers.get("Retry-After"));
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(response.status, "BAD_RESPONSE", "The server answered with something that is not JSON.");
  }
}

/** A readable message for anything thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
