// Unit tests of the hash routes: projects, invites and the account pages share one hash.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseRoute, routeHash, sameRoute, type Route } from "../src/lib/hash-route";

test("reads every place", () => {
  assert.deepEqual(parseRoute(""), { name: "projects" });
  assert.deepEqual(parseRoute("#"), { name: "projects" });
  assert.deepEqual(parseRoute("#/"), { name: "projects" });
  assert.deepEqual(parseRoute("#/projects/p_1"), { name: "project", id: "p_1" });
  assert.deepEqual(parseRoute("#/invite/abc-DEF_123"), { name: "invite", token: "abc-DEF_123" });
  assert.deepEqual(parseRoute("#/account"), { name: "account" });
  assert.deepEqual(parseRoute("#/tokens"), { name: "tokens" });
  assert.deepEqual(parseRoute("#/users"), { name: "users" });
  assert.deepEqual(parseRoute("#/api"), { name: "api" });
});

test("tolerates a trailing slash, a query and a missing #", () => {
  assert.deepEqual(parseRoute("#/tokens/"), { name: "tokens" });
  assert.deepEqual(parseRoute("/projects/p_2/"), { name: "project", id: "p_2" });
  assert.deepEqual(parseRoute("#/users?x=1"), { name: "users" });
});

test("anything unknown or malformed is the dashboard", () => {
  for (const hash of ["#/nope", "#/projects", "#/projects/", "#/invite", "#/account/extra", "#/projects/a/b", "#/projects/%E0%A4%A", "#/constructor"]) {
    assert.deepEqual(parseRoute(hash), { name: "projects" }, hash);
  }
});

test("ids and tokens are decoded and encoded", () => {
  assert.deepEqual(parseRoute("#/projects/a%2Fb%20c"), { name: "project", id: "a/b c" });
  assert.equal(routeHash({ name: "project", id: "a/b c" }), "#/projects/a%2Fb%20c");
});

test("round-trips through the hash", () => {
  const routes: Route[] = [
    { name: "projects" },
    { name: "project", id: "x" },
    { name: "invite", token: "t0k" },
    { name: "account" },
    { name: "tokens" },
    { name: "users" },
  ];
  for (const route of routes) assert.deepEqual(parseRoute(routeHash(route)), route);
  assert.equal(routeHash({ name: "projects" }), "");
  assert.ok(sameRoute({ name: "project", id: "x" }, parseRoute("#/projects/x")));
  assert.ok(!sameRoute({ name: "project", id: "x" }, { name: "project", id: "y" }));
});
