import { api } from "../../../lib/api-client";
import type { Render } from "../../../types/api";
import type { TimelineDocument } from "../../../types/timeline";

export type FieldType = "text" | "color" | "number" | "asset";
export type AssetKind = "video" | "audio" | "image" | "font" | "captions";
export type FieldValue = string | number;

/** One field of a template's schema (derived from where its `{{NAME}}` stands, rules editable). */
export interface TemplateField {
  name: string;
  type: FieldType;
  kind?: AssetKind;
  default?: FieldValue;
  required: boolean;
  maxLength?: number;
  pattern?: string;
  min?: number;
  max?: number;
  usedAt: string[];
}

export interface Template {
  id: string;
  name: string;
  projectId?: string;
  timelineId?: string;
  fields: TemplateField[];
  document: TimelineDocument;
  createdAt: string;
  updatedAt: string;
}

const path = (id: string) => `/templates/${encodeURIComponent(id)}`;

/** GET /templates (the caller's, most recently edited first). */
export async function listTemplates(): Promise<Template[]> {
  const { data } = await api.list<Template>("/templates?limit=100");
  return data ?? [];
}

export const getTemplate = (id: string) => api.get<Template>(path(id));
export const deleteTemplate = (id: string) => api.delete(path(id));

/** POST /templates {timelineId, name}: the saved timeline becomes a template. */
export const createTemplate = (timelineId: string, name: string) => api.post<Template>("/templates", { timelineId, name });

/** POST /templates/{id}/renders {values}: one render (202). */
export const renderTemplate = (id: string, values: Record<string, FieldValue>) => api.post<Render>(`${path(id)}/renders`, { values });

/** POST /templates/{id}/renders {values, dryRun}: checks only; resolves to the values as they would be filled in. */
export const dryRunTemplate = (id: string, values: Record<string, FieldValue>) =>
  api.post<{ valid: true; values?: Record<string, string> }>(`${path(id)}/renders`, { values, dryRun: true });
