import assert from "node:assert/strict";
import { test } from "node:test";
import { answerOf, differences } from "./same-answers.ts";

test("reduces a page to its posting ids and cursor", () => {
  const page = { items: [{ id: 7, title: "SRE" }, { id: 3 }], nextCursor: "abc" };
  assert.deepEqual(answerOf(page), { ids: [7, 3], nextCursor: "abc" });
  assert.deepEqual(answerOf({ items: [], nextCursor: null }), { ids: [], nextCursor: null });
});

test("refuses something that is not a page of jobs", () => {
  assert.throws(
    () => answerOf({ type: "about:blank", status: 400 }),
    /not a page of jobs: \{"type":"about:blank"/,
  );
});

test("names each query answered differently", () => {
  const queries: Record<string, string>[] = [{ q: "kubernetes" }, { location: "Paris" }];
  const reference = [
    { ids: [1, 2], nextCursor: "x" },
    { ids: [5], nextCursor: null },
  ];
  assert.deepEqual(differences(queries, reference, reference, "FastAPI"), []);
  const other = [
    { ids: [1, 2], nextCursor: "x" },
    { ids: [6], nextCursor: null },
  ];
  assert.deepEqual(differences(queries, reference, other, "FastAPI"), [
    "FastAPI answers /jobs?location=Paris differently",
  ]);
});
