import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject, V1Container } from "@kubernetes/client-node";
import { containerPolicyProblems } from "./container-policy.ts";

const complete: Partial<V1Container> = {
  readinessProbe: { tcpSocket: { port: 8080 } },
  resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "1", memory: "128Mi" } },
};
const pod = (containers: V1Container[], initContainers: V1Container[] = []) => ({
  initContainers,
  containers,
});
const problems = (kind: string, apiVersion: string, spec: object) =>
  containerPolicyProblems({
    file: "w.yaml",
    index: 0,
    line: 1,
    object: { apiVersion, kind, metadata: { name: "w" }, spec } as KubernetesObject,
  }).map((problem) => [problem.path, problem.message]);

describe("containerPolicyProblems", () => {
  test("a complete container passes; init containers need resources but no probe", () => {
    const { readinessProbe: _probe, ...init } = complete;
    assert.deepEqual(
      problems("Deployment", "apps/v1", {
        template: { spec: pod([{ name: "a", ...complete }], [{ name: "i", ...init }]) },
      }),
      [],
    );
  });

  test("serving kinds need a readiness probe on every container; Jobs and CronJobs do not", () => {
    const bare = { name: "a", resources: complete.resources };
    for (const kind of ["Deployment", "StatefulSet", "DaemonSet"])
      assert.deepEqual(problems(kind, "apps/v1", { template: { spec: pod([bare]) } }), [
        ["spec.template.spec.containers[0].readinessProbe", 'container "a" has no readinessProbe'],
      ]);
    assert.deepEqual(problems("Pod", "v1", pod([bare])), [
      ["spec.containers[0].readinessProbe", 'container "a" has no readinessProbe'],
    ]);
    assert.deepEqual(problems("Job", "batch/v1", { template: { spec: pod([bare]) } }), []);
  });

  test("requests and limits for cpu and memory on every container, named in one problem", () => {
    assert.deepEqual(
      problems("CronJob", "batch/v1", {
        jobTemplate: {
          spec: {
            template: {
              spec: pod([{ name: "a", resources: { limits: { memory: "1Gi" } } }], [{ name: "i" }]),
            },
          },
        },
      }),
      [
        [
          "spec.jobTemplate.spec.template.spec.initContainers[0].resources",
          'container "i" sets no resources.requests.cpu, resources.requests.memory, resources.limits.cpu, resources.limits.memory',
        ],
        [
          "spec.jobTemplate.spec.template.spec.containers[0].resources",
          'container "a" sets no resources.requests.cpu, resources.requests.memory, resources.limits.cpu',
        ],
      ],
    );
  });
});
