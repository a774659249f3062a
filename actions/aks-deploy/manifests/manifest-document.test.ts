import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lineOf, type ManifestDocument, problemAt } from "./manifest-document.ts";

const document: ManifestDocument = {
  file: "app.yaml",
  index: 1,
  line: 10,
  object: { apiVersion: "v1", kind: "Pod" },
  fieldLines: new Map([
    ["spec", 13],
    ["spec.containers", 14],
    ["spec.containers[0]", 15],
    ["spec.containers[0].image", 16],
  ]),
};

describe("lineOf and problemAt", () => {
  test("a written field's own line; a missing one's nearest written parent; else the document's start", () => {
    assert.equal(lineOf(document, "spec.containers[0].image"), 16);
    assert.equal(lineOf(document, "spec.containers[0].readinessProbe"), 15);
    assert.equal(lineOf(document, "spec.containers[0].resources.limits"), 15);
    assert.equal(lineOf(document, "spec.replicas"), 13);
    assert.equal(lineOf(document, "metadata.name"), 10);
    assert.equal(lineOf(document, undefined), 10);
    assert.equal(lineOf({ ...document, fieldLines: undefined }, "spec"), 10);
  });

  test("problemAt locates the problem and leaves out what is not given", () => {
    assert.deepEqual(problemAt(document, "spec.containers[0].image", "bad image", "pin it"), {
      file: "app.yaml",
      document: 1,
      line: 16,
      path: "spec.containers[0].image",
      message: "bad image",
      hint: "pin it",
    });
    assert.deepEqual(problemAt(document, undefined, "too big"), {
      file: "app.yaml",
      document: 1,
      line: 10,
      message: "too big",
    });
  });
});
