import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Pod } from "../../api/kinds.ts";
import { isPodActive, isPodAvailable, msUntilAvailable } from "./pod.ts";

function pod(
  ready: "True" | "False",
  since: string,
  extra: Partial<Pod["metadata"]> = {},
  phase: "Running" | "Failed" = "Running",
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", ...extra },
    spec: { containers: [] },
    status: { phase, conditions: [{ type: "Ready", status: ready, lastTransitionTime: since }] },
  };
}

describe("pod availability (docs/rollout-semantics.md 3.9)", () => {
  const now = new Date("2026-01-01T00:00:10Z");

  test("with minReadySeconds 0 a ready pod is available at once", () => {
    assert.ok(isPodAvailable(pod("True", "2026-01-01T00:00:10Z"), 0, now));
    assert.ok(!isPodAvailable(pod("False", "2026-01-01T00:00:00Z"), 0, now));
  });

  test("otherwise Ready.lastTransitionTime + minReadySeconds must not be after now", () => {
    assert.ok(isPodAvailable(pod("True", "2026-01-01T00:00:05Z"), 5, now));
    assert.ok(!isPodAvailable(pod("True", "2026-01-01T00:00:06Z"), 5, now));
    assert.equal(msUntilAvailable(pod("True", "2026-01-01T00:00:06Z"), 5, now), 1000);
  });

  test("terminating and finished pods are not active", () => {
    assert.ok(isPodActive(pod("True", "t")));
    assert.ok(!isPodActive(pod("True", "t", { deletionTimestamp: "2026-01-01T00:00:00Z" })));
    assert.ok(!isPodActive(pod("False", "t", {}, "Failed")));
  });
});
