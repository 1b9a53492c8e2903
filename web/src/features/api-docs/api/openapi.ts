import { getDocument } from "../../../lib/api-client";

/** The parts of an OpenAPI 3.1 document the reference page shows. */
export interface OpenApiSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  additionalProperties?: boolean | OpenApiSchema;
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  allOf?: OpenApiSchema[];
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  default?: unknown;
  contentMediaType?: string;
  contentSchema?: OpenApiSchema;
}

export interface OpenApiParameter {
  $ref?: string;
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  description?: string;
  schema?: OpenApiSchema;
}

export interface OpenApiMediaType {
  schema?: OpenApiSchema;
}

export interface OpenApiResponse {
  $ref?: string;
  description?: string;
  content?: Record<string, OpenApiMediaType>;
  headers?: Record<string, { $ref?: string; description?: string }>;
}

export interface OpenApiOperation {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: OpenApiParameter[];
  requestBody?: { required?: boolean; description?: string; content?: Record<string, OpenApiMediaType> };
  responses?: Record<string, OpenApiResponse>;
}

export type HttpMethod = "get" | "put" | "post" | "delete" | "patch" | "head" | "options" | "trace";
export const httpMethods: HttpMethod[] = ["get", "head", "post", "put", "patch", "delete", "options", "trace"];

export type OpenApiPathItem = Partial<Record<HttpMethod, OpenApiOperation>> & { parameters?: OpenApiParameter[]; servers?: { url: string }[] };

export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; summary?: string; description?: string };
  servers?: { url: string }[];
  security?: Record<string, string[]>[];
  tags?: { name: string; description?: string }[];
  paths: Record<string, OpenApiPathItem>;
  components?: {
    schemas?: Record<string, OpenApiSchema>;
    parameters?: Record<string, OpenApiParameter>;
    responses?: Record<string, OpenApiResponse>;
    securitySchemes?: Record<string, { type: string; scheme?: string; in?: string; name?: string; description?: string }>;
  };
}

/** One endpoint as the page lists it: path-level parameters merged in, references resolved. */
export interface Endpoint {
  method: HttpMethod;
  path: string;
  /** The path's own server when it is not under the document's base (`/metrics` is at the root). */
  server?: string;
  operation: OpenApiOperation;
  parameters: OpenApiParameter[];
  responses: [string, OpenApiResponse][];
  isPublic: boolean;
}

export interface EndpointGroup {
  tag: string;
  description?: string;
  endpoints: Endpoint[];
}

/** The description the server publishes (the JSON copy of `/api/v1/openapi.yaml`). */
export function getOpenApiDocument(): Promise<OpenApiDocument> {
  return getDocument<OpenApiDocument>("/openapi.json");
}

/** `#/components/schemas/Project` → `Project`. */
export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

function resolveParameter(doc: OpenApiDocument, parameter: OpenApiParameter): OpenApiParameter {
  return parameter.$ref ? doc.components?.parameters?.[refName(parameter.$ref)] ?? parameter : parameter;
}

function resolveResponse(doc: OpenApiDocument, response: OpenApiResponse): OpenApiResponse {
  return response.$ref ? doc.components?.responses?.[refName(response.$ref)] ?? response : response;
}

/** Every operation, grouped by its first tag in the document's tag order (untagged ones last). */
export function groupEndpoints(doc: OpenApiDocument): EndpointGroup[] {
  const groups = new Map<string, EndpointGroup>();
  for (const tag of doc.tags ?? []) groups.set(tag.name, { tag: tag.name, description: tag.description, endpoints: [] });
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of httpMethods) {
      const operation = item[method];
      if (!operation) continue;
      const own = (operation.parameters ?? []).map((p) => resolveParameter(doc, p));
      const inherited = (item.parameters ?? []).map((p) => resolveParameter(doc, p)).filter((p) => !own.some((o) => o.name === p.name && o.in === p.in));
      const tag = operation.tags?.[0] ?? "other";
      if (!groups.has(tag)) groups.set(tag, { tag, endpoints: [] });
      groups.get(tag)?.endpoints.push({
        method,
        path,
        server: item.servers?.[0]?.url,
        operation,
        parameters: [...inherited, ...own],
        responses: Object.entries(operation.responses ?? {}).map(([status, response]) => [status, resolveResponse(doc, response)]),
        isPublic: (operation.security ?? doc.security ?? []).length === 0,
      });
    }
  }
  return [...groups.values()].filter((group) => group.endpoints.length > 0);
}

/** A one-line description of a schema's type: `Project`, `array of Asset`, `string (date-time)`, `"read" | "write"`. */
export function typeSummary(schema: OpenApiSchema | undefined): string {
  if (!schema) return "any";
  if (schema.$ref) return refName(schema.$ref);
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  const variants = schema.oneOf ?? schema.anyOf;
  if (variants) return variants.map(typeSummary).join(" | ");
  if (schema.allOf) return schema.allOf.map(typeSummary).join(" & ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const named = types.map((type) => {
    if (type === "array") return `array of ${typeSummary(schema.items)}`;
    if (type === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
      return `object of ${typeSummary(schema.additionalProperties)}`;
    }
    if (schema.contentSchema) return `${type} (${schema.contentMediaType ?? "encoded"} ${typeSummary(schema.contentSchema)})`;
    return schema.format ? `${type} (${schema.format})` : type;
  });
  return named.length ? named.join(" | ") : "any";
}

/** The named schema a type refers to (directly, as array items, encoded inside a string, or as one of its variants). */
export function referencedSchema(schema: OpenApiSchema | undefined): string | null {
  if (!schema) return null;
  const ref = schema.$ref ?? schema.items?.$ref ?? schema.contentSchema?.$ref ?? (schema.oneOf ?? schema.anyOf ?? []).find((s) => s.$ref)?.$ref;
  return ref ? refName(ref) : null;
}

/** Bounds and defaults worth showing next to a type. */
export function constraints(schema: OpenApiSchema | undefined): string[] {
  if (!schema) return [];
  const notes: string[] = [];
  if (schema.minimum !== undefined && schema.maximum !== undefined) notes.push(`${schema.minimum}…${schema.maximum}`);
  else if (schema.minimum !== undefined) notes.push(`≥ ${schema.minimum}`);
  else if (schema.maximum !== undefined) notes.push(`≤ ${schema.maximum}`);
  if (schema.maxLength !== undefined) notes.push(`at most ${schema.maxLength} characters`);
  // Long patterns (names, emails) say in their description what they allow.
  if (schema.pattern && schema.pattern.length <= 40) notes.push(`matches ${schema.pattern}`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes;
}
