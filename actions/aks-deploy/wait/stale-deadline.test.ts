import assert from "node:assert/strict";
import { test } from "node:test";
import type { V1Deployment } from "@kubernetes/client-node";
import { deadlineExceededAt, withoutStaleDeadline } from "./stale-deadline.ts";

function deployment(reason: string, lastUpdateTime: string | Date): V1Deployment {
  return {
    metadata: { name: "api", generation: 3 },
    status: {
      observedGeneration: 3,
      conditions: [
        { type: "Available", status: "True" },
        { type: "Progressing", status: "False", reason, lastUpdateTime: lastUpdateTime as Date },
      ],
    },
  };
}

const before = "2026-01-01T00:00:00Z";
const afterwards = "2026-01-01T00:05:00Z";

test("deadlineExceededAt: only a ProgressDeadlineExceeded condition, string or Date", () => {
  assert.equal(deadlineExceededAt(deployment("ProgressDeadlineExceeded", before)), Date.parse(before));
  assert.equal(
    deadlineExceededAt(deployment("ProgressDeadlineExceeded", new Date(before))),
    Date.parse(before),
  );
  assert.equal(deadlineExceededAt(deployment("ReplicaSetUpdated", before)), undefined);
  assert.equal(deadlineExceededAt({ metadata: {} }), undefined);
});

test("withoutStaleDeadline: the condition seen when the wait began is set aside, a newer one stays", () => {
  const stale = deployment("ProgressDeadlineExceeded", before);
  const staleAt = Date.parse(before);
  assert.deepEqual(
    withoutStaleDeadline(stale, staleAt).status?.conditions?.map((condition) => condition.type),
    ["Available"],
  );
  const fresh = deployment("ProgressDeadlineExceeded", afterwards);
  assert.equal(withoutStaleDeadline(fresh, staleAt), fresh);
  assert.equal(withoutStaleDeadline(stale, undefined), stale);
  const progressing = deployment("ReplicaSetUpdated", before);
  assert.equal(withoutStaleDeadline(progressing, staleAt), progressing);
});
