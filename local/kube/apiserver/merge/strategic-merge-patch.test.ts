import assert from "node:assert/strict";
import { test } from "node:test";
import { mergePatch } from "./merge-patch.ts";
import { strategicMergePatch } from "./strategic-merge-patch.ts";

const pod = {
  metadata: { labels: { app: "web", tier: "front" }, finalizers: ["a"] },
  spec: {
    containers: [
      {
        name: "app",
        image: "app:1",
        env: [
          { name: "A", value: "1" },
          { name: "B", value: "2" },
        ],
        ports: [{ containerPort: 80 }],
      },
      { name: "sidecar", image: "proxy:1" },
    ],
    tolerations: [{ key: "x" }],
  },
};

test("merge patch: objects merge, null deletes, lists are replaced", () => {
  const result = mergePatch(pod, {
    metadata: { labels: { tier: null, new: "1" } },
    spec: { containers: [{ name: "only" }] },
  });
  assert.deepEqual(result, {
    metadata: { labels: { app: "web", new: "1" }, finalizers: ["a"] },
    spec: { containers: [{ name: "only" }], tolerations: [{ key: "x" }] },
  });
});

test("strategic merge patch merges containers and env by name, keeps the others", () => {
  const result = strategicMergePatch(pod, {
    spec: {
      containers: [
        {
          name: "app",
          image: "app:2",
          env: [
            { name: "B", value: "3" },
            { name: "C", value: "4" },
          ],
        },
      ],
    },
  }) as typeof pod;
  assert.equal(result.spec.containers.length, 2);
  assert.equal(result.spec.containers[0]?.image, "app:2");
  assert.deepEqual(result.spec.containers[0]?.env, [
    { name: "A", value: "1" },
    { name: "B", value: "3" },
    { name: "C", value: "4" },
  ]);
  assert.deepEqual(result.spec.containers[0]?.ports, [{ containerPort: 80 }]);
});

test("strategic merge patch: $patch delete removes an item, unkeyed lists are replaced, sets merge", () => {
  const result = strategicMergePatch(pod, {
    metadata: { finalizers: ["b"] },
    spec: { containers: [{ name: "sidecar", $patch: "delete" }], tolerations: [{ key: "y" }] },
  }) as typeof pod;
  assert.deepEqual(
    result.spec.containers.map((c) => c.name),
    ["app"],
  );
  assert.deepEqual(result.spec.tolerations, [{ key: "y" }]);
  assert.deepEqual(result.metadata.finalizers, ["a", "b"]);
});

test("strategic merge patch: kubectl apply's $setElementOrder and $deleteFromPrimitiveList directives", () => {
  const result = strategicMergePatch(pod, {
    metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] },
    spec: {
      "$setElementOrder/containers": [{ name: "sidecar" }, { name: "app" }],
      containers: [{ name: "app", image: "app:3" }],
    },
  }) as typeof pod;
  assert.deepEqual(
    result.spec.containers.map((c) => [c.name, c.image]),
    [
      ["sidecar", "proxy:1"],
      ["app", "app:3"],
    ],
  );
  assert.deepEqual(result.metadata.finalizers, []);
  assert.equal(
    Object.keys(result.metadata).some((key) => key.startsWith("$")),
    false,
  );
});

test("strategic merge patch: $patch replace on a map replaces it", () => {
  const result = strategicMergePatch(pod, {
    metadata: { labels: { $patch: "replace", only: "x" } },
  }) as typeof pod;
  assert.deepEqual(result.metadata.labels, { only: "x" });
});
