import assert from "node:assert/strict";
import { test } from "node:test";
import { humanDuration, toTable, wantsTable } from "./table.ts";

test("AGE is printed as kubectl's HumanDuration", () => {
  assert.deepEqual(
    [5, 119, 125, 600, 7200, 8 * 3600, 3 * 86400 + 3600, 400 * 86400, 800 * 86400].map(humanDuration),
    ["5s", "119s", "2m5s", "10m", "120m", "8h", "3d1h", "400d", "2y"],
  );
});

test("pod rows show ready containers, the waiting reason, restarts; deleting pods show Terminating", () => {
  const now = new Date("2026-11-24T03:00:30Z");
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web-1", creationTimestamp: "2026-11-24T03:00:00Z" },
    spec: { containers: [{ name: "app" }, { name: "side" }] },
    status: {
      phase: "Running",
      containerStatuses: [
        { ready: true, restartCount: 0, state: { running: {} } },
        { ready: false, restartCount: 3, state: { waiting: { reason: "CrashLoopBackOff" } } },
      ],
    },
  };
  const table = toTable("Pod", [pod], "7", undefined, now);
  assert.deepEqual(table.rows[0]?.cells.slice(0, 5), ["web-1", "1/2", "CrashLoopBackOff", "3", "30s"]);
  const deleting = {
    ...pod,
    metadata: { ...pod.metadata, deletionTimestamp: "2026-11-24T03:01:00Z" },
  };
  assert.equal(toTable("Pod", [deleting], "8", undefined, now).rows[0]?.cells[2], "Terminating");
});

test("a Table is wanted only when the first accepted type asks for it", () => {
  assert.equal(wantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json"), true);
  assert.equal(wantsTable("application/json"), false);
  assert.equal(wantsTable(undefined), false);
});
