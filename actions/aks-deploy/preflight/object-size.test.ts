import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { maxObjectBytes, objectSizeProblems } from "./object-size.ts";

const configMap = (data: string): KubernetesObject =>
  ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { data } }) as KubernetesObject;

describe("objectSizeProblems", () => {
  test("counts serialised bytes (UTF-8), up to exactly 1 MiB allowed", () => {
    const overhead = Buffer.byteLength(JSON.stringify(configMap("")));
    const fits = configMap("x".repeat(maxObjectBytes - overhead));
    assert.deepEqual(objectSizeProblems({ file: "f", index: 0, line: 1, object: fits }), []);
    const multiByte = configMap("é".repeat((maxObjectBytes - overhead) / 2 + 1));
    assert.deepEqual(objectSizeProblems({ file: "f", index: 0, line: 1, object: multiByte }), [
      {
        file: "f",
        document: 0,
        line: 1,
        message: `object is ${maxObjectBytes + 2 - ((maxObjectBytes - overhead) % 2)} bytes serialised, over the 1 MiB (1048576 bytes) Kubernetes stores`,
        hint: "move large data out of the manifest (a volume, the image, or Key Vault)",
      },
    ]);
  });
});
