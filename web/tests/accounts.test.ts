// Unit tests of the account screens' pure helpers: times, passwords and API error reading.
import assert from "node:assert/strict";
import { test } from "node:test";
import { errorFromResponse, fieldErrors, parseRetryAfter, rateLimitMessage } from "../src/lib/api-client";
import { formatExpiry, formatLastUsed, formatRelative } from "../src/lib/format";
import { passwordProblem } from "../src/lib/passwords";

const now = new Date("2026-12-05T12:00:00Z");
const at = (seconds: number) => new Date(now.getTime() + seconds * 1000).toISOString();

test("relative times pick the largest fitting unit, rounded", () => {
  assert.equal(formatRelative(at(-20), now), "just now");
  assert.equal(formatRelative(at(30), now), "just now");
  assert.equal(formatRelative(at(-60), now), "1 minute ago");
  assert.equal(formatRelative(at(-3 * 3600 - 59), now), "3 hours ago");
  assert.equal(formatRelative(at(-90), now), "2 minutes ago");
  assert.equal(formatRelative(at(86400), now), "in 1 day");
  assert.equal(formatRelative(at(30 * 86400), now), "in 30 days");
  assert.equal(formatRelative(at(30 * 86400 - 5), now), "in 30 days");
  assert.equal(formatRelative(at(29 * 86400 + 3600), now), "in 29 days");
  assert.equal(formatRelative(at(90 * 86400), now), "in 3 months");
  assert.equal(formatRelative(at(365 * 86400), now), "in 1 year");
  assert.equal(formatRelative(at(-7 * 86400), now), "7 days ago");
  assert.equal(formatRelative(at(-400 * 86400), now), "1 year ago");
  assert.equal(formatRelative("not a date", now), "not a date");
});

test("expiry and last use say never for null", () => {
  assert.equal(formatExpiry(null, now), "never");
  assert.equal(formatExpiry(at(7 * 86400), now), "in 7 days");
  assert.equal(formatExpiry(at(-1), now), "expired");
  assert.equal(formatExpiry(at(0), now), "expired");
  assert.equal(formatLastUsed(null, now), "never");
  assert.equal(formatLastUsed(at(-120), now), "2 minutes ago");
});

test("passwords: 8 to 72 bytes, and the confirmation matches", () => {
  assert.equal(passwordProblem("", ""), "Choose a password.");
  assert.match(passwordProblem("short", "short") ?? "", /at least 8/);
  assert.equal(passwordProblem("long enough", "long enough"), null);
  assert.match(passwordProblem("long enough", "long enougH") ?? "", /do not match/);
  assert.equal(passwordProblem("x".repeat(72), "x".repeat(72)), null);
  assert.match(passwordProblem("x".repeat(73), "x".repeat(73)) ?? "", /at most 72/);
  // 25 × "é" is 25 characters but 50 bytes; 37 of them is 74 bytes.
  assert.equal(passwordProblem("é".repeat(25), "é".repeat(25)), null);
  assert.match(passwordProblem("é".repeat(37), "é".repeat(37)) ?? "", /at most 72/);
  // Four emoji are 16 bytes: long enough although only four characters.
  assert.equal(passwordProblem("🎬🎬🎬🎬", "🎬🎬🎬🎬"), null);
});

test("a rate-limited sign-in says how long to wait", () => {
  assert.equal(parseRetryAfter("17"), 17);
  assert.equal(parseRetryAfter(" 3 "), 3);
  assert.equal(parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT"), null);
  assert.equal(parseRetryAfter(null), null);
  const body = JSON.stringify({ error: { code: "RATE_LIMITED", message: "Too many sign-in attempts." }, meta: {} });
  const error = errorFromResponse(429, body, "Too Many Requests", "42");
  assert.equal(error.code, "RATE_LIMITED");
  assert.equal(error.retryAfter, 42);
  assert.equal(error.message, "Too many attempts, try again in 42 s");
  assert.equal(errorFromResponse(429, body, "", null).message, rateLimitMessage(null));
});

test("other errors keep the server's message and its field details", () => {
  const body = JSON.stringify({
    error: { code: "VALIDATION_FAILED", message: "The request is invalid.", details: [{ path: "/currentPassword", message: "The current password is wrong." }, { message: "no path" }] },
    meta: {},
  });
  const error = errorFromResponse(422, body);
  assert.equal(error.message, "The request is invalid.");
  assert.deepEqual(fieldErrors(error), { currentPassword: "The current password is wrong." });
  // A predicate gets its field as subject; a whole sentence stays as it is.
  const wrong = errorFromResponse(422, JSON.stringify({ error: { code: "VALIDATION_ERROR", message: "the current password is wrong", details: [{ path: "/currentPassword", message: "is wrong" }] } }));
  assert.deepEqual(fieldErrors(wrong), { currentPassword: "Current password is wrong." });
  const two = errorFromResponse(422, JSON.stringify({ error: { code: "VALIDATION_ERROR", message: "invalid", details: [{ path: "/email", message: "must look like name@example.com" }, { path: "/password", message: "the password must have at least 8 characters" }, { path: "/password", message: "second" }] } }));
  assert.deepEqual(fieldErrors(two), { email: "Email must look like name@example.com.", password: "The password must have at least 8 characters." });
  // Server messages read as sentences on their own.
  assert.equal(errorFromResponse(409, JSON.stringify({ error: { code: "LAST_ADMIN", message: "the last active admin cannot be disabled" } })).message, "The last active admin cannot be disabled.");
  assert.equal(errorFromResponse(409, JSON.stringify({ error: { code: "X", message: "Already a sentence!" } })).message, "Already a sentence!");
  assert.equal(errorFromResponse(502, "<html>Bad gateway</html>", "Bad Gateway").message, "Bad Gateway");
});
