import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { secretDataProblems } from "./secret-data.ts";

const secret = (fields: object, apiVersion = "v1") =>
  secretDataProblems({
    file: "s.yaml",
    index: 1,
    line: 5,
    object: { apiVersion, kind: "Secret", metadata: { name: "db" }, ...fields } as KubernetesObject,
  });

describe("secretDataProblems", () => {
  test("data and stringData with values are each a problem", () => {
    assert.deepEqual(secret({ data: { a: "YQ==" }, stringData: { b: "b" } }), [
      {
        file: "s.yaml",
        document: 1,
        line: 5,
        path: "data",
        message: 'Secret "db" carries data in the manifests',
        hint: "keep secret values in Key Vault (a SecretProviderClass), not in the repository",
      },
      {
        file: "s.yaml",
        document: 1,
        line: 5,
        path: "stringData",
        message: 'Secret "db" carries stringData in the manifests',
        hint: "keep secret values in Key Vault (a SecretProviderClass), not in the repository",
      },
    ]);
  });

  test("an empty Secret (filled by the CSI driver) and other groups' Secret kinds pass", () => {
    assert.deepEqual(secret({ type: "Opaque" }), []);
    assert.deepEqual(secret({ data: {} }), []);
    assert.deepEqual(secret({ data: { a: "b" } }, "example.com/v1"), []);
  });
});
