import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { containersOf, groupOf, podSpecOf } from "./pod-templates.ts";

const pod = { initContainers: [{ name: "migrate" }], containers: [{ name: "api" }, "junk"] };

describe("podSpecOf and containersOf", () => {
  test("each workload kind's pod spec path; init containers first; non-objects left out", () => {
    const cases: [KubernetesObject, string][] = [
      [
        { apiVersion: "apps/v1", kind: "Deployment", spec: { template: { spec: pod } } } as KubernetesObject,
        "spec.template.spec",
      ],
      [
        { apiVersion: "apps/v1", kind: "StatefulSet", spec: { template: { spec: pod } } } as KubernetesObject,
        "spec.template.spec",
      ],
      [
        { apiVersion: "apps/v1", kind: "DaemonSet", spec: { template: { spec: pod } } } as KubernetesObject,
        "spec.template.spec",
      ],
      [
        { apiVersion: "batch/v1", kind: "Job", spec: { template: { spec: pod } } } as KubernetesObject,
        "spec.template.spec",
      ],
      [
        {
          apiVersion: "batch/v1",
          kind: "CronJob",
          spec: { jobTemplate: { spec: { template: { spec: pod } } } },
        } as KubernetesObject,
        "spec.jobTemplate.spec.template.spec",
      ],
      [{ apiVersion: "v1", kind: "Pod", spec: pod } as KubernetesObject, "spec"],
    ];
    for (const [object, path] of cases) {
      const spec = podSpecOf(object);
      assert.equal(spec?.path, path, object.kind);
      assert.deepEqual(
        containersOf(spec ?? { path, spec: { containers: [] } }).map((entry) => [
          entry.path,
          entry.container.name,
          entry.init,
        ]),
        [
          [`${path}.initContainers[0]`, "migrate", true],
          [`${path}.containers[0]`, "api", false],
        ],
      );
    }
  });

  test("not a workload, or a malformed one: no pod spec", () => {
    assert.equal(podSpecOf({ apiVersion: "v1", kind: "ConfigMap" }), undefined);
    assert.equal(
      podSpecOf({ apiVersion: "example.com/v1", kind: "Deployment" } as KubernetesObject),
      undefined,
    );
    assert.equal(
      podSpecOf({ apiVersion: "apps/v1", kind: "Deployment", spec: { template: "x" } } as KubernetesObject),
      undefined,
    );
  });

  test("groupOf", () => {
    assert.equal(groupOf("apps/v1"), "apps");
    assert.equal(groupOf("v1"), "");
    assert.equal(groupOf(undefined), "");
  });
});
