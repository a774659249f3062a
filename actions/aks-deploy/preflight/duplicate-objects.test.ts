import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { duplicateObjectProblems, objectIdentity } from "./duplicate-objects.ts";
import { documentOf } from "./testing/fixtures.ts";

const doc = (file: string, index: number, object: object) => documentOf(object, file, index);

describe("duplicateObjectProblems", () => {
  test("same kind, group, namespace and name is a duplicate; differing in any one is not", () => {
    const documents = [
      doc("a.yaml", 0, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "prod" } }),
      doc("a.yaml", 1, { apiVersion: "v1", kind: "Secret", metadata: { name: "c", namespace: "prod" } }),
      doc("a.yaml", 2, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "dev" } }),
      doc("a.yaml", 3, {
        apiVersion: "example.com/v1",
        kind: "ConfigMap",
        metadata: { name: "c", namespace: "prod" },
      }),
      doc("b.yaml", 0, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "prod" } }),
      doc("b.yaml", 1, {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "r" },
      }),
      doc("b.yaml", 2, {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "r" },
      }),
    ];
    assert.deepEqual(
      duplicateObjectProblems(
        documents,
        documents.map((document) => document.object),
      ),
      [
        {
          file: "b.yaml",
          document: 0,
          line: 1,
          path: "metadata.name",
          message: 'ConfigMap "c" in namespace "prod" is also defined in a.yaml (document 0)',
          hint: "keep one definition of each object",
        },
        {
          file: "b.yaml",
          document: 2,
          line: 1,
          path: "metadata.name",
          message: 'ClusterRole "r" is also defined in b.yaml (document 1)',
          hint: "keep one definition of each object",
        },
      ],
    );
  });

  test("the objects as applied count: a defaulted namespace makes two documents one object", () => {
    const documents = [
      doc("a.yaml", 0, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }),
      doc("a.yaml", 1, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: "prod" } }),
    ];
    const applied = documents.map((document) => ({
      ...document.object,
      metadata: { name: "c", namespace: "prod" },
    }));
    assert.equal(duplicateObjectProblems(documents, applied).length, 1);
    assert.equal(objectIdentity(applied[0] as KubernetesObject), "ConfigMap prod/c");
  });
});
