import assert from "node:assert/strict";
import { test } from "node:test";
import { controllerOf, controllerReference, timeOf } from "./meta.ts";

const owner = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-abc", uid: "rs-uid" } };

test("controllerReference is NewControllerRef: controller and blockOwnerDeletion set", () => {
  assert.deepEqual(controllerReference(owner), {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    name: "web-abc",
    uid: "rs-uid",
    controller: true,
    blockOwnerDeletion: true,
  });
});

test("controllerOf is GetControllerOf: the reference marked controller, not any owner", () => {
  const other = { apiVersion: "v1", kind: "ConfigMap", name: "c", uid: "c-uid" };
  assert.deepEqual(
    controllerOf({ name: "p", ownerReferences: [other, controllerReference(owner)] })?.uid,
    "rs-uid",
  );
  assert.equal(controllerOf({ name: "p", ownerReferences: [other] }), undefined);
  assert.equal(controllerOf({ name: "p" }), undefined);
});

test("timeOf reads a wire timestamp; absent and null (Go's zero time) are 0", () => {
  assert.equal(timeOf("2026-11-24T03:00:30Z"), Date.UTC(2026, 10, 24, 3, 0, 30));
  assert.equal(timeOf(undefined), 0);
  assert.equal(timeOf(null), 0);
});
