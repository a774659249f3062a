import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { targetNamespace } from "./namespace.ts";
import { documentOf } from "./testing/fixtures.ts";

const doc = (object: object) => documentOf(object, "m.yaml", 4, 9);

describe("targetNamespace", () => {
  test("none given: set to the target on the copy, the document untouched", () => {
    const document = doc({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } });
    const copy = structuredClone(document.object);
    assert.deepEqual(targetNamespace(document, copy, true, "prod"), []);
    assert.equal(copy.metadata?.namespace, "prod");
    assert.equal(document.object.metadata?.namespace, undefined);
  });

  test("the target itself is fine; another is a problem; a cluster-scoped object may not name one", () => {
    const same = doc({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "prod" } });
    assert.deepEqual(targetNamespace(same, same.object, true, "prod"), []);
    const other = doc({
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "c", namespace: "kube-system" },
    });
    assert.deepEqual(targetNamespace(other, structuredClone(other.object), true, "prod"), [
      {
        file: "m.yaml",
        document: 4,
        line: 9,
        path: "metadata.namespace",
        message: 'namespace "kube-system" is not the target namespace "prod"',
        hint: "remove metadata.namespace (the target namespace is set), or deploy it in a run for that namespace",
      },
    ]);
    const scoped = doc({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "prod", namespace: "prod" },
    });
    assert.deepEqual(
      targetNamespace(scoped, scoped.object, false, "prod")[0]?.message,
      "Namespace is cluster-scoped: a namespace is not allowed on this type",
    );
    const plain = doc({ apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } });
    assert.deepEqual(targetNamespace(plain, plain.object, false, "prod"), []);
    assert.equal(plain.object.metadata?.namespace, undefined);
  });
});
