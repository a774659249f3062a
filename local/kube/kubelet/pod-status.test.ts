import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ContainerStatus, Pod } from "../api/kinds.ts";
import { podPhase, podStatus } from "./pod-status.ts";

function status(
  name: string,
  state: ContainerStatus["state"],
  options: { ready?: boolean; last?: ContainerStatus["lastState"] } = {},
): ContainerStatus {
  return {
    name,
    image: "app:1",
    imageID: "",
    ready: options.ready ?? false,
    restartCount: 0,
    state,
    lastState: options.last ?? {},
  };
}

const pod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-1", namespace: "default" },
  spec: { restartPolicy: "Always", containers: [{ name: "app" }, { name: "sidecar" }] },
};

describe("pod phase and conditions", () => {
  test("Pending while a container waits without having run; Running once all have started", () => {
    assert.equal(
      podPhase("Always", [status("a", { waiting: { reason: "ContainerCreating" } })], 1),
      "Pending",
    );
    assert.equal(podPhase("Always", [status("a", { running: {} })], 1), "Running");
  });

  test("a crash-looping container (waiting with a last termination) keeps the pod Running", () => {
    const looping = status(
      "a",
      { waiting: { reason: "CrashLoopBackOff" } },
      { last: { terminated: { exitCode: 1 } } },
    );
    assert.equal(podPhase("Always", [looping], 1), "Running");
  });

  test("all terminated: Succeeded when all exited 0, Failed under restartPolicy Never", () => {
    assert.equal(podPhase("Never", [status("a", { terminated: { exitCode: 0 } })], 1), "Succeeded");
    assert.equal(podPhase("Never", [status("a", { terminated: { exitCode: 2 } })], 1), "Failed");
    assert.equal(podPhase("OnFailure", [status("a", { terminated: { exitCode: 2 } })], 1), "Running");
  });

  test("Ready and ContainersReady name the unready containers; lastTransitionTime is kept while unchanged", () => {
    const facts = {
      sandboxReady: true,
      hostIP: "127.0.0.1",
      podIP: "10.244.0.2",
      startTime: "2026-01-01T00:00:00Z",
      containerStatuses: [
        status("app", { running: {} }, { ready: true }),
        status("sidecar", { running: {} }),
      ],
    };
    const first = podStatus(pod, facts, "2026-01-01T00:00:01Z");
    const ready = first.conditions?.find((c) => c.type === "Ready");
    assert.deepEqual(
      [ready?.status, ready?.reason, ready?.message],
      ["False", "ContainersNotReady", "containers with unready status: [sidecar]"],
    );
    assert.equal(first.phase, "Running");
    assert.equal(first.podIP, "10.244.0.2");
    const again = podStatus({ ...pod, status: first }, facts, "2026-01-01T00:00:05Z");
    assert.equal(
      again.conditions?.find((c) => c.type === "Ready")?.lastTransitionTime,
      "2026-01-01T00:00:01Z",
    );
    const allReady = {
      ...facts,
      containerStatuses: [
        status("app", { running: {} }, { ready: true }),
        status("sidecar", { running: {} }, { ready: true }),
      ],
    };
    const later = podStatus({ ...pod, status: again }, allReady, "2026-01-01T00:00:09Z");
    const nowReady = later.conditions?.find((c) => c.type === "Ready");
    assert.deepEqual([nowReady?.status, nowReady?.lastTransitionTime], ["True", "2026-01-01T00:00:09Z"]);
    assert.equal(
      later.conditions?.find((c) => c.type === "PodScheduled")?.lastTransitionTime,
      "2026-01-01T00:00:01Z",
    );
  });
});
