import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { selectorMatches, selectorProblems } from "./selector-matches-labels.ts";
import { documentOf } from "./testing/fixtures.ts";

describe("selectorMatches", () => {
  test("matchLabels and every matchExpressions operator", () => {
    const labels = { app: "api", tier: "web" };
    assert.equal(selectorMatches({ matchLabels: { app: "api" } }, labels), true);
    assert.equal(selectorMatches({ matchLabels: { app: "web" } }, labels), false);
    assert.equal(
      selectorMatches({ matchExpressions: [{ key: "tier", operator: "In", values: ["web", "db"] }] }, labels),
      true,
    );
    assert.equal(
      selectorMatches({ matchExpressions: [{ key: "tier", operator: "NotIn", values: ["web"] }] }, labels),
      false,
    );
    assert.equal(
      selectorMatches({ matchExpressions: [{ key: "canary", operator: "NotIn", values: ["x"] }] }, labels),
      true,
    );
    assert.equal(selectorMatches({ matchExpressions: [{ key: "app", operator: "Exists" }] }, labels), true);
    assert.equal(
      selectorMatches({ matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, labels),
      false,
    );
    assert.equal(selectorMatches({ matchExpressions: [{ key: "app", operator: "Near" }] }, labels), false);
  });
});

describe("selectorProblems", () => {
  const set = (kind: string, selector: object, labels?: object) =>
    documentOf({
      apiVersion: "apps/v1",
      kind,
      metadata: { name: "w" },
      spec: { selector, template: { metadata: { labels } } },
    });

  test("StatefulSet, DaemonSet and ReplicaSet are checked like Deployments; Jobs and other groups are not", () => {
    for (const kind of ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"]) {
      assert.deepEqual(
        selectorProblems(set(kind, { matchLabels: { app: "api" } }, { app: "api", extra: "ok" })),
        [],
        kind,
      );
      assert.equal(selectorProblems(set(kind, { matchLabels: { app: "api" } })).length, 1, kind);
    }
    assert.deepEqual(
      selectorProblems(
        documentOf({ apiVersion: "batch/v1", kind: "Job", spec: { selector: { matchLabels: { a: "b" } } } }),
      ),
      [],
    );
  });

  test("the messages", () => {
    assert.deepEqual(selectorProblems(set("DaemonSet", { matchLabels: { app: "api" } }, { app: "web" })), [
      {
        file: "m.yaml",
        document: 0,
        line: 1,
        path: "spec.template.metadata.labels",
        message:
          '`selector` does not match template `labels` (selector {"matchLabels":{"app":"api"}}, labels {"app":"web"})',
        hint: "give the pod template every label the selector requires",
      },
    ]);
    assert.deepEqual(
      selectorProblems(set("Deployment", { matchLabels: {} }, { app: "web" }))[0]?.message,
      "empty selector: it would select every pod in the namespace",
    );
  });
});
