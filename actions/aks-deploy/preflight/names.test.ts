import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isDns1123Label, nameProblems } from "./names.ts";
import { documentOf } from "./testing/fixtures.ts";

const paths = (object: object) =>
  nameProblems(documentOf(object)).map((problem) => [problem.path, problem.message.split(":")[0]]);

describe("nameProblems", () => {
  test("subdomain for most kinds, label for Namespace, DNS-1035 label for Service", () => {
    assert.deepEqual(
      paths({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app.settings-1" } }),
      [],
    );
    assert.deepEqual(paths({ apiVersion: "v1", kind: "Namespace", metadata: { name: "app.settings" } }), [
      ["metadata.name", '"app.settings" is not valid'],
    ]);
    assert.deepEqual(paths({ apiVersion: "v1", kind: "Service", metadata: { name: "9lives" } }), [
      ["metadata.name", '"9lives" is not valid'],
    ]);
    assert.deepEqual(paths({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x".repeat(254) } }), [
      ["metadata.name", `"${"x".repeat(254)}" is not valid`],
    ]);
    assert.deepEqual(paths({ apiVersion: "v1", kind: "ConfigMap", metadata: {} }), [
      ["metadata.name", "name is missing"],
    ]);
  });

  test("container names: valid labels, distinct across init containers and containers", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { initContainers: [{ name: "setup" }], containers: [{ name: "Setup" }, { name: "setup" }] },
    };
    assert.deepEqual(
      nameProblems(documentOf(pod)).map((problem) => [problem.path, problem.message]),
      [
        [
          "spec.containers[0].name",
          "\"Setup\" is not valid: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc'), at most 63 characters",
        ],
        ["spec.containers[1].name", 'duplicate container name "setup" (also spec.initContainers[0])'],
      ],
    );
  });

  test("isDns1123Label", () => {
    assert.equal(isDns1123Label("api-2"), true);
    assert.equal(isDns1123Label("-api"), false);
    assert.equal(isDns1123Label("a".repeat(64)), false);
  });
});
