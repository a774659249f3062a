import assert from "node:assert/strict";
import { test } from "node:test";
import { fieldProblem, resolvePointer } from "./json-field.ts";

test("resolvePointer follows RFC 6901, escapes included", () => {
  const doc = { a: [{ "b/c": 1, "d~e": 2 }], "": 3 };
  assert.deepEqual(resolvePointer(doc, "/a/0/b~1c"), { found: true, value: 1 });
  assert.deepEqual(resolvePointer(doc, "/a/0/d~0e"), { found: true, value: 2 });
  assert.deepEqual(resolvePointer(doc, "/"), { found: true, value: 3 });
  assert.deepEqual(resolvePointer(doc, "/a/1"), { found: false });
  assert.deepEqual(resolvePointer(doc, "/a/01"), { found: false });
  assert.deepEqual(resolvePointer(doc, "/a/0/toString"), { found: false });
});

test("fieldProblem checks JSON types, integer included, and values", () => {
  const doc = { n: 1.5, i: 2, s: "x", o: {}, z: null };
  assert.equal(fieldProblem(doc, { field: "/i", type: "integer" }), undefined);
  assert.equal(fieldProblem(doc, { field: "/z", type: "null", equals: null }), undefined);
  assert.equal(
    fieldProblem(doc, { field: "/n", type: "integer" }),
    "/n: expected type integer, got number 1.5",
  );
  assert.equal(fieldProblem(doc, { field: "/o", type: "array" }), "/o: expected type array, got object {}");
  assert.equal(fieldProblem(doc, { field: "/s", equals: "y" }), '/s: expected "y", got "x"');
  assert.equal(
    fieldProblem(doc, { field: "/q", type: "string", equals: "y" }),
    '/q: expected type string and "y", got nothing (no such field)',
  );
});
