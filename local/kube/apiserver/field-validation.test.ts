import assert from "node:assert/strict";
import { test } from "node:test";
import { modelTypeFor, parseBody, pruneUnknownFields, unknownFields } from "./field-validation.ts";

// The body of the real server's field-validation integration test, as JSON with duplicate keys.
const body = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": { "name": "dupename", "name": "web", "unknownMeta": "metaVal", "labels": { "app": "web" } },
  "spec": {
    "unknown1": "val1",
    "unknownDupe": "valDupe",
    "unknownDupe": "valDupe2",
    "paused": true,
    "paused": false,
    "selector": { "matchLabels": { "app": "web" } },
    "template": {
      "metadata": { "labels": { "app": "web" } },
      "spec": { "containers": [{ "name": "nginx", "image": "nginx:latest", "unknownNested": "val1", "imagePullPolicy": "Always", "imagePullPolicy": "Never" }] }
    }
  }
}`;

test("the model of a built-in kind is found by apiVersion and kind", () => {
  assert.equal(modelTypeFor("apps/v1", "Deployment"), "V1Deployment");
  assert.equal(modelTypeFor("v1", "Event"), "CoreV1Event");
  assert.equal(modelTypeFor("autoscaling/v2", "HorizontalPodAutoscaler"), "V2HorizontalPodAutoscaler");
  assert.equal(modelTypeFor("cert-manager.io/v1", "Certificate"), undefined);
});

test("duplicate and unknown fields are listed in document order with the real server's wording", () => {
  const parsed = parseBody(body, "V1Deployment");
  assert.deepEqual(parsed.problems, [
    'duplicate field "metadata.name"',
    'unknown field "metadata.unknownMeta"',
    'unknown field "spec.unknown1"',
    'unknown field "spec.unknownDupe"',
    'duplicate field "spec.paused"',
    'unknown field "spec.template.spec.containers[0].unknownNested"',
    'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
  ]);
  const value = parsed.value as { metadata: { name: string }; spec: { paused: boolean } };
  assert.equal(value.metadata.name, "web", "the last duplicate wins");
  assert.equal(value.spec.paused, false);
});

test("unknown fields of an object are found sorted and pruned", () => {
  const value = parseBody(body, undefined).value;
  assert.deepEqual(unknownFields(value, "V1Deployment"), [
    "metadata.unknownMeta",
    "spec.template.spec.containers[0].unknownNested",
    "spec.unknown1",
    "spec.unknownDupe",
  ]);
  pruneUnknownFields(value, "V1Deployment");
  assert.deepEqual(unknownFields(value, "V1Deployment"), []);
  assert.equal((value as { spec: { paused: boolean } }).spec.paused, false);
});

test("YAML bodies are parsed too", () => {
  const parsed = parseBody(
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: '1'\nfoo: 1\n",
    "V1ConfigMap",
  );
  assert.deepEqual(parsed.problems, ['unknown field "foo"']);
});

test("JSON bodies with escapes, nested lists and duplicates inside list items", () => {
  const text =
    '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","annotations":{"a\\"b":"x\\\\\\"y"}},"data":{"k":"[1,{2}]","k":"v"},"binaryData":{},"immutable":false,"x":[1,[2,{"y":null}]]}';
  const parsed = parseBody(text, "V1ConfigMap");
  assert.deepEqual(parsed.problems, ['duplicate field "data.k"', 'unknown field "x"']);
  const value = parsed.value as { metadata: { annotations: Record<string, string> }; data: { k: string } };
  assert.equal(value.metadata.annotations['a"b'], 'x\\"y');
  assert.equal(value.data.k, "v");
});
