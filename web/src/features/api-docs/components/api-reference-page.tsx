import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { API_BASE, errorMessage } from "../../../lib/api-client";
import {
  constraints,
  getOpenApiDocument,
  groupEndpoints,
  referencedSchema,
  typeSummary,
  type Endpoint,
  type OpenApiDocument,
  type OpenApiMediaType,
  type OpenApiSchema,
} from "../api/openapi";

/** Inline Markdown of the spec's descriptions: `code` and **bold**. */
function inline(text: string): ReactNode[] {
  return text.split(/(`[^`]+`|\*\*[^*]+\*\*)/g).map((part, index) => {
    if (part.startsWith("`") && part.endsWith("`") && part.length > 1) return <code key={index}>{part.slice(1, -1)}</code>;
    if (part.startsWith("**") && part.endsWith("**") && part.length > 3) return <strong key={index}>{part.slice(2, -2)}</strong>;
    return part;
  });
}

/** A description: paragraphs split by blank lines, fenced blocks as preformatted text. */
function Prose({ text, className }: { text?: string; className?: string }) {
  if (!text) return null;
  const blocks = text.trim().split(/\n```\n?|^```\n?/m);
  return (
    <div className={className ? `api-prose ${className}` : "api-prose"}>
      {blocks.map((block, index) =>
        index % 2 === 1 ? (
          <pre key={index} className="api-prose__code">{block.replace(/\n$/, "")}</pre>
        ) : (
          block
            .split(/\n\s*\n/)
            .filter((p) => p.trim())
            .map((paragraph, p) => <p key={`${index}-${p}`}>{inline(paragraph.replace(/\n/g, " "))}</p>)
        ),
      )}
    </div>
  );
}

function scrollToSchema(name: string) {
  document.getElementById(`api-schema-${name}`)?.scrollIntoView({ behavior: "smooth", block: "start" });
}

/** A type, with named schemas as links to their description further down. */
function TypeLabel({ schema }: { schema?: OpenApiSchema }) {
  const ref = referencedSchema(schema);
  const label = typeSummary(schema);
  if (!ref) return <code className="api-type">{label}</code>;
  return (
    <button type="button" className="api-type api-type--link" onClick={() => scrollToSchema(ref)} title={`Show ${ref}`}>
      {label}
    </button>
  );
}

/** The members of an object schema as a table (nothing for other schemas). */
function PropertiesTable({ schema }: { schema: OpenApiSchema }) {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length === 0) return null;
  const required = new Set(schema.required ?? []);
  return (
    <table className="api-table">
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Type</th>
          <th scope="col">Description</th>
        </tr>
      </thead>
      <tbody>
        {properties.map(([name, property]) => (
          <tr key={name}>
            <td>
              <code>{name}</code>
              {required.has(name) && <span className="api-required" title="required">required</span>}
            </td>
            <td>
              <TypeLabel schema={property} />
              {constraints(property).map((note) => (
                <span key={note} className="api-note">{note}</span>
              ))}
            </td>
            <td>
              <Prose text={property.description} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a request or response body holds, per content type. */
function BodyContent({ content }: { content?: Record<string, OpenApiMediaType> }) {
  const entries = Object.entries(content ?? {});
  if (entries.length === 0) return null;
  return (
    <ul className="api-content">
      {entries.map(([type, media]) => (
        <li key={type}>
          <code className="api-media">{type}</code> <TypeLabel schema={media.schema} />
          {media.schema && !media.schema.$ref && <PropertiesTable schema={media.schema} />}
        </li>
      ))}
    </ul>
  );
}

const methodLabels: Record<string, string> = { get: "GET", head: "HEAD", post: "POST", put: "PUT", patch: "PATCH", delete: "DELETE" };

function EndpointView({ endpoint }: { endpoint: Endpoint }) {
  const { method, path, operation, parameters, responses } = endpoint;
  const body = operation.requestBody;
  return (
    <details className="api-op" data-testid="api-endpoint" id={operation.operationId ? `api-op-${operation.operationId}` : undefined}>
      <summary className="api-op__summary">
        <span className={`api-method api-method--${method}`}>{methodLabels[method] ?? method.toUpperCase()}</span>
        <code className="api-op__path">{path}</code>
        <span className="api-op__title">{operation.summary}</span>
        {endpoint.isPublic && <span className="api-badge" title="No sign-in needed">public</span>}
        {endpoint.server !== undefined && <span className="api-badge" title={`Served at ${endpoint.server}, not under the API base`}>at {endpoint.server}</span>}
      </summary>
      <div className="api-op__body">
        <Prose text={operation.description} />
        {parameters.length > 0 && (
          <>
            <h4 className="api-op__heading">Parameters</h4>
            <table className="api-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">In</th>
                  <th scope="col">Type</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody>
                {parameters.map((parameter) => (
                  <tr key={`${parameter.in}-${parameter.name}`}>
                    <td>
                      <code>{parameter.name}</code>
                      {parameter.required && <span className="api-required">required</span>}
                    </td>
                    <td>{parameter.in}</td>
                    <td>
                      <TypeLabel schema={parameter.schema} />
                      {constraints(parameter.schema).map((note) => (
                        <span key={note} className="api-note">{note}</span>
                      ))}
                    </td>
                    <td>
                      <Prose text={parameter.description} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
        {body && (
          <>
            <h4 className="api-op__heading">Request body{body.required ? "" : " (optional)"}</h4>
            <Prose text={body.description} />
            <BodyContent content={body.content} />
          </>
        )}
        <h4 className="api-op__heading">Responses</h4>
        <table className="api-table api-table--responses">
          <tbody>
            {responses.map(([status, response]) => (
              <tr key={status}>
                <td className={`api-status api-status--${status.charAt(0)}xx`}>{status}</td>
                <td>
                  <Prose text={response.description} />
                  <BodyContent content={response.content} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function matches(endpoint: Endpoint, filter: string): boolean {
  if (!filter) return true;
  const text = `${endpoint.method} ${endpoint.path} ${endpoint.operation.summary ?? ""} ${endpoint.operation.operationId ?? ""}`.toLowerCase();
  return filter
    .toLowerCase()
    .split(/\s+/)
    .every((word) => text.includes(word));
}

/** `#/api`: the API reference, rendered from the description the server publishes. */
export function ApiReferencePage() {
  const [doc, setDoc] = useState<OpenApiDocument | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      setDoc(await getOpenApiDocument());
    } catch (err) {
      setLoadError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const groups = useMemo(() => (doc ? groupEndpoints(doc) : []), [doc]);
  const shown = groups.map((group) => ({ ...group, endpoints: group.endpoints.filter((e) => matches(e, filter.trim())) })).filter((g) => g.endpoints.length > 0);
  const count = groups.reduce((sum, group) => sum + group.endpoints.length, 0);
  const base = doc?.servers?.[0]?.url ?? API_BASE;

  return (
    <div className="page page--wide api-ref" data-testid="api-reference">
      <div className="page__head">
        <h1 className="page__title">API reference</h1>
        <p className="muted">
          Every endpoint under <code>{base}</code>, from the server's own description:{" "}
          <a href={`${API_BASE}/openapi.yaml`} target="_blank" rel="noreferrer">openapi.yaml</a> (OpenAPI 3.1, also as{" "}
          <a href={`${API_BASE}/openapi.json`} target="_blank" rel="noreferrer">JSON</a>). Scripts sign in with an API token:{" "}
          <code>Authorization: Bearer cr_…</code>.
        </p>
      </div>
      {loadError && (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">Could not load the API description: {loadError}</p>
          <button type="button" className="button button--ghost button--small" onClick={() => void load()}>Retry</button>
        </div>
      )}
      {!doc && !loadError && <p className="muted">Loading…</p>}
      {doc && (
        <>
          <details className="api-intro">
            <summary>
              {doc.info.title} {doc.info.version && <span className="muted">v{doc.info.version}</span>}: envelope, status codes, signing in
            </summary>
            <Prose text={doc.info.description} />
          </details>
          <div className="api-ref__bar">
            <input
              className="input api-ref__filter"
              type="search"
              placeholder={`Filter ${count} endpoints (path, method, summary)`}
              aria-label="Filter endpoints"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              data-testid="api-filter"
            />
            <nav className="api-ref__tags" aria-label="API sections">
              {groups.map((group) => (
                <button
                  key={group.tag}
                  type="button"
                  className="api-ref__tag"
                  onClick={() => document.getElementById(`api-tag-${group.tag}`)?.scrollIntoView({ behavior: "smooth", block: "start" })}
                >
                  {group.tag} <span className="muted">{group.endpoints.length}</span>
                </button>
              ))}
            </nav>
          </div>
          {shown.length === 0 && <p className="muted">No endpoint matches “{filter}”.</p>}
          {shown.map((group) => (
            <section key={group.tag} className="api-group" id={`api-tag-${group.tag}`} aria-labelledby={`api-tag-title-${group.tag}`}>
              <h2 className="api-group__title" id={`api-tag-title-${group.tag}`}>{group.tag}</h2>
              <Prose text={group.description} className="muted" />
              {group.endpoints.map((endpoint) => (
                <EndpointView key={`${endpoint.method} ${endpoint.path}`} endpoint={endpoint} />
              ))}
            </section>
          ))}
          <section className="api-group" aria-labelledby="api-schemas-title">
            <h2 className="api-group__title" id="api-schemas-title">Schemas</h2>
            {Object.entries(doc.components?.schemas ?? {}).map(([name, schema]) => (
              <div key={name} className="api-schema" id={`api-schema-${name}`}>
                <h3 className="api-schema__name">
                  <code>{name}</code> <TypeLabel schema={schema.properties ? { type: "object" } : schema} />
                </h3>
                <Prose text={schema.description} />
                <PropertiesTable schema={schema} />
              </div>
            ))}
          </section>
        </>
      )}
    </div>
  );
}
