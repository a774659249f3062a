import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject, V1DeploymentStrategy } from "@kubernetes/client-node";
import { rolloutStrategyProblems } from "./rollout-strategy.ts";

const deployment = (
  strategy: V1DeploymentStrategy | undefined,
  progressDeadlineSeconds: number | undefined = 120,
) => ({
  file: "d.yaml",
  index: 0,
  line: 1,
  object: {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { strategy, progressDeadlineSeconds },
  } as KubernetesObject,
});
const messages = (strategy: V1DeploymentStrategy | undefined, deadline?: number) =>
  rolloutStrategyProblems(deployment(strategy, deadline)).map((problem) => problem.message);

describe("rolloutStrategyProblems", () => {
  test('maxUnavailable 0, "0" or "0%" with a surge and a deadline passes', () => {
    for (const maxUnavailable of [0, "0", "0%"])
      assert.deepEqual(
        messages({ type: "RollingUpdate", rollingUpdate: { maxUnavailable, maxSurge: "25%" } }),
        [],
      );
    assert.deepEqual(
      messages({ rollingUpdate: { maxUnavailable: 0 } }),
      [],
      "type defaults to RollingUpdate, maxSurge to 25%",
    );
  });

  test("each unsafe strategy says why", () => {
    assert.deepEqual(messages(undefined), [
      "maxUnavailable is not set (the default 25% lets a rollout take serving pods away)",
    ]);
    assert.deepEqual(messages({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1 } }), [
      "maxUnavailable is 1: a rollout may take serving pods away",
    ]);
    assert.deepEqual(messages({ type: "Recreate" }), [
      "strategy Recreate stops every pod before the new ones start",
    ]);
    assert.deepEqual(messages({ rollingUpdate: { maxUnavailable: 0, maxSurge: "0%" } }), [
      "maxSurge may not be 0 when maxUnavailable is 0: the rollout could never start a new pod",
    ]);
  });

  test("progressDeadlineSeconds must be set; other kinds are not Deployments", () => {
    assert.deepEqual(
      rolloutStrategyProblems({
        ...deployment({ rollingUpdate: { maxUnavailable: 0 } }),
        object: {
          apiVersion: "apps/v1",
          kind: "Deployment",
          spec: { strategy: { rollingUpdate: { maxUnavailable: 0 } } },
        } as KubernetesObject,
      }).map((problem) => [problem.path, problem.message]),
      [["spec.progressDeadlineSeconds", "progressDeadlineSeconds is not set"]],
    );
    assert.deepEqual(
      rolloutStrategyProblems({
        file: "s",
        index: 0,
        line: 1,
        object: { apiVersion: "apps/v1", kind: "StatefulSet" },
      }),
      [],
    );
  });
});
