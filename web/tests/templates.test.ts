// Unit tests of the template and batch pages' pure logic: CSV reading as the server does it,
// the field rules checked in the browser, the server's pointers mapped to fields and rows, routes.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv } from "../src/features/batches/lib/csv";
import type { TemplateField } from "../src/features/templates/api/templates";
import { checkField, problemKey, problemsByPointer, valuesToSend } from "../src/features/templates/lib/field-rules";
import { parseRoute, routeHash } from "../src/lib/hash-route";

const field = (over: Partial<TemplateField>): TemplateField => ({ name: "F", type: "text", required: false, usedAt: [], ...over });

test("CSV: quotes, doubled quotes, line breaks in quotes, CRLF, a BOM, trailing blank lines", () => {
  const table = parseCsv('\ufeffTITLE,NOTE\r\n"Hello, world","say ""hi"""\r\n"two\nlines",\r\n\r\n');
  assert.deepEqual(table.header, ["TITLE", "NOTE"]);
  assert.deepEqual(table.rows, [["Hello, world", 'say "hi"'], ["two\nlines", ""]]);
  assert.deepEqual(parseCsv("A\nx\ny").rows, [["x"], ["y"]]);
  assert.deepEqual(parseCsv("A\nx,extra\n").rows, [["x", "extra"]]);
  assert.deepEqual(parseCsv(""), { header: [], rows: [] });
});

test("field rules: required, default, maxLength, pattern, min/max, number, colour", () => {
  assert.equal(checkField(field({ required: true }), ""), "Required.");
  assert.equal(checkField(field({ required: true, default: "x" }), ""), null);
  assert.equal(checkField(field({ maxLength: 3 }), "abcd"), "At most 3 characters.");
  assert.equal(checkField(field({ maxLength: 3 }), "abc"), null);
  assert.equal(checkField(field({ pattern: "[A-Z]+" }), "ABC"), null);
  assert.match(checkField(field({ pattern: "[A-Z]+" }), "ABc") ?? "", /match/);
  assert.equal(checkField(field({ type: "number", min: 1, max: 5 }), "0"), "At least 1.");
  assert.equal(checkField(field({ type: "number", min: 1, max: 5 }), "6"), "At most 5.");
  assert.equal(checkField(field({ type: "number" }), "abc"), "Must be a number.");
  assert.equal(checkField(field({ type: "color" }), "#FF8800"), null);
  assert.equal(checkField(field({ type: "color" }), "#FF880080"), null);
  assert.ok(checkField(field({ type: "color" }), "red"));
});

test("values to send: empty inputs left to the defaults, numbers as numbers", () => {
  const fields = [field({ name: "T" }), field({ name: "N", type: "number" }), field({ name: "E" })];
  assert.deepEqual(valuesToSend(fields, { T: "Hi", N: "2.5", E: "" }), { T: "Hi", N: 2.5 });
});

test("server pointers: /values/NAME, /rows/N/NAME, /rows/N, escaped names", () => {
  const problems = problemsByPointer([
    { path: "/values/TITLE", message: "too long" },
    { path: "/rows/3/COLOR", message: "not a colour" },
    { path: "/rows/4", message: "wrong number of cells" },
    { path: "/rows/0/A~1B", message: "bad" },
    { message: "general" },
  ]);
  assert.equal(problems.get(problemKey(-1, "TITLE")), "too long");
  assert.equal(problems.get(problemKey(3, "COLOR")), "not a colour");
  assert.equal(problems.get(problemKey(4, "")), "wrong number of cells");
  assert.equal(problems.get(problemKey(0, "A/B")), "bad");
  assert.equal(problems.get(problemKey(-1, "")), "general");
});

test("routes of templates and batches", () => {
  assert.deepEqual(parseRoute("#/templates"), { name: "templates" });
  assert.deepEqual(parseRoute("#/templates/t_1"), { name: "template", id: "t_1" });
  assert.deepEqual(parseRoute("#/batches/b_1"), { name: "batch", id: "b_1" });
  assert.deepEqual(parseRoute("#/constructor/x"), { name: "projects" });
  assert.equal(routeHash({ name: "template", id: "a b" }), "#/templates/a%20b");
  assert.equal(routeHash({ name: "batch", id: "b_1" }), "#/batches/b_1");
});
