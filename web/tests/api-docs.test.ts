// Unit tests of the API reference's grouping: a path that names its own server keeps it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { groupEndpoints, type OpenApiDocument } from "../src/features/api-docs/api/openapi";

test("a path with its own server (like /metrics at the root) carries it; the others do not", () => {
  const doc: OpenApiDocument = {
    openapi: "3.1.0",
    info: { title: "t", version: "1" },
    servers: [{ url: "/api/v1" }],
    tags: [{ name: "health" }, { name: "metrics" }],
    paths: {
      "/health": { get: { tags: ["health"], security: [], responses: {} } },
      "/metrics": { servers: [{ url: "/" }], get: { tags: ["metrics"], security: [{ metricsToken: [] }, {}], responses: {} } },
    },
  };
  const groups = groupEndpoints(doc);
  assert.deepEqual(groups.map((g) => g.tag), ["health", "metrics"]);
  const [health, metrics] = groups.map((g) => g.endpoints[0]);
  assert.equal(health.server, undefined);
  assert.equal(health.isPublic, true);
  assert.equal(metrics.server, "/");
  assert.equal(metrics.path, "/metrics");
  assert.equal(metrics.isPublic, false);
});
