// Unit tests of the mixer's pure logic: the form state to the API body and back, the edits
// (groups and clips added, moved between columns, removed), the server's pointers mapped to the
// fields they name, routes, and the limiter that keeps frame requests a few at a time.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Mix } from "../src/features/mixes/api/mixes";
import { createLimiter } from "../src/features/mixes/lib/limiter";
import {
  describePointer,
  emptyForm,
  fieldOfPointer,
  formOfMix,
  mixReducer,
  moveItem,
  newClip,
  newGroup,
  nextGroupName,
  problemsByField,
  shuffleSeed,
  toBody,
  typedNumber,
  type MixAction,
  type MixForm,
} from "../src/features/mixes/lib/mix-form";
import { parseRoute, routeHash } from "../src/lib/hash-route";

const apply = (form: MixForm, ...actions: MixAction[]) => actions.reduce(mixReducer, form);

/** Two groups: hook with clips a, b; cta with c. */
function twoGroups(): MixForm {
  const form = emptyForm();
  const [hook, body] = form.groups;
  return apply(
    form,
    { type: "setGroup", group: body.key, patch: { name: "cta" } },
    { type: "addClip", group: hook.key, clip: newClip("a") },
    { type: "addClip", group: hook.key, clip: newClip("b") },
    { type: "addClip", group: body.key, clip: newClip("c") },
  );
}

const clipIds = (form: MixForm) => form.groups.map((g) => g.clips.map((c) => c.assetId));

test("a new mix: two named groups, no clips, no text, 1280×720 mp4, all up to 20", () => {
  const form = emptyForm();
  assert.deepEqual(form.groups.map((g) => g.name), ["hook", "body"]);
  assert.deepEqual(toBody(form, false), {
    name: "Untitled mix",
    groups: [{ name: "hook", clips: [] }, { name: "body", clips: [] }],
    output: { width: 1280, height: 720, fps: 30, format: "mp4" },
    count: "all",
    cap: 20,
  });
});

test("POST leaves out what is off; PATCH sends it as null (which removes it) and drops a stored order", () => {
  const form = apply(twoGroups(), { type: "count", patch: { mode: "number", n: "3" } });
  const post = toBody(form, false);
  assert.equal(post.count, 3);
  assert.ok(!("cap" in post) && !("text" in post) && !("order" in post));
  const patch = toBody(form, true);
  assert.equal(patch.cap, null);
  assert.equal(patch.text, null);
  assert.equal(patch.order, null);
});

test("clips: a bare asset:ID unless an in-point, length or label is given; numbers as typed", () => {
  let form = twoGroups();
  const [a, b] = form.groups[0].clips;
  form = apply(form, { type: "setClip", clip: a.key, patch: { trim: "0.5", length: "2", label: "  Intro " } }, { type: "setClip", clip: b.key, patch: { trim: "0" } });
  const groups = toBody(form, false).groups as { clips: unknown[] }[];
  assert.deepEqual(groups[0].clips, [{ src: "asset:a", trim: 0.5, length: 2, label: "Intro" }, "asset:b"]);
  // Not a number: sent as typed, so the server names the field.
  form = apply(form, { type: "setClip", clip: a.key, patch: { length: "two" } });
  assert.equal(((toBody(form, false).groups as { clips: { length: unknown }[] }[])[0].clips[0]).length, "two");
  assert.equal(typedNumber(" "), undefined);
  assert.equal(typedNumber("1e1"), 10);
});

test("group rules: pick, optional, max length only when set", () => {
  let form = twoGroups();
  const hook = form.groups[0];
  form = apply(form, { type: "setGroup", group: hook.key, patch: { pick: "2", optional: true, maxLength: "1.5" } });
  const [first, second] = toBody(form, true).groups as Record<string, unknown>[];
  assert.deepEqual(first, { name: "hook", clips: ["asset:a", "asset:b"], pick: 2, optional: true, maxLength: 1.5 });
  assert.deepEqual(second, { name: "cta", clips: ["asset:c"] });
});

test("text layer: one text, or one line per variant; font size merged into the kept font", () => {
  let form = apply(twoGroups(), { type: "text", patch: { enabled: true, text: "{{hook}} – #{{VARIANT}}", size: "48", position: "top", extra: { font: { color: "#FFFFFF", size: 10 }, box: { color: "#000000" } } } });
  assert.deepEqual(toBody(form, false).text, { font: { color: "#FFFFFF", size: 48 }, box: { color: "#000000" }, text: "{{hook}} – #{{VARIANT}}", position: "top" });
  form = apply(form, { type: "text", patch: { mode: "list", text: "one\n\n two \n" } });
  assert.deepEqual((toBody(form, false).text as { texts: string[] }).texts, ["one", "two"]);
});

test("a saved mix comes back as the same body (order applied to the columns, then dropped)", () => {
  const mix: Mix = {
    id: "m1",
    name: "Spring",
    groups: [
      { name: "cta", clips: [{ src: "asset:c", trim: 0.25, label: "Buy" }], optional: true },
      { name: "hook", clips: ["asset:a", "asset:b"], pick: 2, maxLength: 1 },
    ],
    order: ["hook", "cta"],
    text: { text: "{{cta}}", font: { size: 30 }, position: "bottom", fadeIn: 0.5 },
    output: { width: 1080, height: 1920, fps: 25, format: "webm", audio: null },
    count: "all",
    cap: 7,
    combinations: 3,
    createdAt: "",
    updatedAt: "",
  };
  const form = formOfMix(mix);
  assert.deepEqual(form.groups.map((g) => g.name), ["hook", "cta"]);
  assert.deepEqual(toBody(form, true), {
    name: "Spring",
    groups: [
      { name: "hook", clips: ["asset:a", "asset:b"], pick: 2, maxLength: 1 },
      { name: "cta", clips: [{ src: "asset:c", trim: 0.25, label: "Buy" }], optional: true },
    ],
    order: null,
    text: { font: { size: 30 }, fadeIn: 0.5, text: "{{cta}}", position: "bottom" },
    output: { audio: null, width: 1080, height: 1920, fps: 25, format: "webm" },
    count: "all",
    cap: 7,
  });
  const exact = formOfMix({ ...mix, count: 2, cap: undefined });
  assert.deepEqual(exact.count, { mode: "number", n: "2", cap: "" });
});

test("groups: added with a free name, reordered (the playing order), removed", () => {
  let form = twoGroups();
  assert.equal(nextGroupName(form.groups), "body");
  form = apply(form, { type: "addGroup", group: newGroup(form.groups) });
  assert.deepEqual(form.groups.map((g) => g.name), ["hook", "cta", "body"]);
  assert.equal(nextGroupName([{ name: "hook" }, { name: "body" }, { name: "cta" }]), "group4");
  const body = form.groups[2];
  form = apply(form, { type: "moveGroup", group: body.key, to: 0 });
  assert.deepEqual((toBody(form, false).groups as { name: string }[]).map((g) => g.name), ["body", "hook", "cta"]);
  form = apply(form, { type: "moveGroup", group: body.key, to: 99 });
  assert.deepEqual(form.groups.map((g) => g.name), ["hook", "cta", "body"]);
  form = apply(form, { type: "removeGroup", group: body.key });
  assert.deepEqual(form.groups.map((g) => g.name), ["hook", "cta"]);
});

test("clips: reordered in a column, moved to another column at a place, removed, inserted where dropped", () => {
  let form = twoGroups();
  const [hook, cta] = form.groups;
  const [a, b] = hook.clips;
  form = apply(form, { type: "moveClip", clip: b.key, group: hook.key, at: 0 });
  assert.deepEqual(clipIds(form), [["b", "a"], ["c"]]);
  form = apply(form, { type: "moveClip", clip: a.key, group: cta.key, at: 0 });
  assert.deepEqual(clipIds(form), [["b"], ["a", "c"]]);
  form = apply(form, { type: "addClip", group: cta.key, clip: newClip("d"), at: 1 });
  assert.deepEqual(clipIds(form), [["b"], ["a", "d", "c"]]);
  form = apply(form, { type: "removeClip", clip: a.key });
  assert.deepEqual(clipIds(form), [["b"], ["d", "c"]]);
  // A move to a group that is gone changes nothing.
  assert.equal(apply(form, { type: "moveClip", clip: b.key, group: "nope", at: 0 }), form);
  assert.deepEqual(moveItem([1, 2, 3], 0, 2), [2, 3, 1]);
  assert.deepEqual(moveItem([1, 2, 3], 2, 0), [3, 1, 2]);
  const same = [1, 2];
  assert.equal(moveItem(same, 1, 1), same);
  assert.equal(moveItem(same, 5, 0), same);
});

test("server pointers land on the field they name, by the form as sent, even after a reorder", () => {
  const sent = twoGroups();
  const [hook, cta] = sent.groups;
  const [a, b] = hook.clips;
  assert.equal(fieldOfPointer(sent, "/groups/0/clips/1/trim"), `c:${b.key}:trim`);
  assert.equal(fieldOfPointer(sent, "/groups/0/clips/0"), `c:${a.key}:src`);
  assert.equal(fieldOfPointer(sent, "/groups/1/name"), `g:${cta.key}:name`);
  assert.equal(fieldOfPointer(sent, "/groups/1/clips"), `g:${cta.key}:clips`);
  assert.equal(fieldOfPointer(sent, "/groups/1/pick"), `g:${cta.key}:pick`);
  assert.equal(fieldOfPointer(sent, "/groups/7/name"), "groups");
  assert.equal(fieldOfPointer(sent, "/groups"), "groups");
  assert.equal(fieldOfPointer(sent, "/order/0"), "groups");
  assert.equal(fieldOfPointer(sent, "/text/texts/3"), "text:text");
  assert.equal(fieldOfPointer(sent, "/text/font/size"), "text");
  assert.equal(fieldOfPointer(sent, "/output/fps"), "output");
  assert.equal(fieldOfPointer(sent, "/count"), "count");
  assert.equal(fieldOfPointer(sent, "/cap"), "cap");
  assert.equal(fieldOfPointer(sent, "/variants/0/document/tracks"), "");
  const byField = problemsByField(sent, [
    { path: "/groups/0/clips/1/trim", message: "the source is 2 s long" },
    { path: "/groups/0/clips/1/trim", message: "second" },
    { path: "/count", message: "at most 2" },
    { message: "no path" },
  ]);
  assert.deepEqual(byField[`c:${b.key}:trim`], ["the source is 2 s long", "second"]);
  assert.deepEqual(byField.count, ["at most 2"]);
  assert.deepEqual(byField[""], ["no path"]);
  assert.equal(describePointer(sent, "/groups/0/clips/1/trim"), "Group “hook” · clip 2 · in-point");
  assert.equal(describePointer(sent, "/groups/1/maxLength"), "Group “cta” · max length");
  assert.equal(describePointer(sent, "/output/fps"), "Output · fps");
  assert.equal(describePointer(sent, ""), "Mix");
});

test("routes: #/mixes and #/mixes/{id}", () => {
  assert.deepEqual(parseRoute("#/mixes"), { name: "mixes" });
  assert.deepEqual(parseRoute("#/mixes/m_1"), { name: "mix", id: "m_1" });
  assert.deepEqual(parseRoute("#/mixes/new"), { name: "mix", id: "new" });
  assert.equal(routeHash({ name: "mix", id: "a b" }), "#/mixes/a%20b");
  assert.equal(routeHash({ name: "mixes" }), "#/mixes");
});

test("a shuffled seed differs from the last one", () => {
  const values = [0.5, 0.5, 0.25];
  const random = () => values.shift() ?? 0;
  assert.equal(shuffleSeed(500_000, random), 250_000);
  assert.ok(Number.isInteger(shuffleSeed(1)));
});

test("the limiter runs a few tasks at a time, in order, and skips those aborted while waiting", async () => {
  const limiter = createLimiter(2);
  const started: number[] = [];
  const release: (() => void)[] = [];
  const task = (n: number) => () => {
    started.push(n);
    return new Promise<number>((resolve) => release.push(() => resolve(n)));
  };
  const aborted = new AbortController();
  const results = [limiter.run(task(1)), limiter.run(task(2)), limiter.run(task(3), aborted.signal), limiter.run(task(4))];
  assert.deepEqual(started, [1, 2]);
  assert.equal(limiter.running, 2);
  assert.equal(limiter.waiting, 2);
  const skipped = assert.rejects(results[2], (e: Error) => e.name === "AbortError");
  aborted.abort();
  release.shift()!();
  await results[0];
  await new Promise((r) => setTimeout(r, 0));
  // 3 was aborted while waiting: 4 takes its place.
  assert.deepEqual(started, [1, 2, 4]);
  await skipped;
  release.shift()!();
  release.shift()!();
  assert.deepEqual(await Promise.all([results[0], results[1], results[3]]), [1, 2, 4]);
  assert.equal(limiter.running, 0);
});
