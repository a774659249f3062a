import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Pod } from "../../api/kinds.ts";
import { podsToDelete } from "./pods-to-delete.ts";

function pod(
  name: string,
  options: {
    node?: boolean;
    phase?: "Pending" | "Running";
    readySince?: string;
    restarts?: number;
    created?: string;
  },
): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, creationTimestamp: options.created ?? "2026-01-01T00:00:00Z" },
    spec: { containers: [], ...(options.node === false ? {} : { nodeName: "local-node" }) },
    status: {
      phase: options.phase ?? "Running",
      conditions: [
        {
          type: "Ready",
          status: options.readySince ? "True" : "False",
          lastTransitionTime: options.readySince,
        },
      ],
      containerStatuses: [
        {
          name: "c",
          image: "i",
          imageID: "",
          ready: !!options.readySince,
          restartCount: options.restarts ?? 0,
          state: {},
          lastState: {},
        },
      ],
    },
  };
}

const names = (pods: Pod[]) => pods.map((item) => item.metadata.name);

describe("surplus pods deleted first", () => {
  test("unscheduled, then pending, then not ready, then ready", () => {
    const pods = [
      pod("ready", { readySince: "2026-01-01T00:00:01Z" }),
      pod("not-ready", {}),
      pod("pending", { phase: "Pending" }),
      pod("unscheduled", { node: false, phase: "Pending" }),
    ];
    assert.deepEqual(names(podsToDelete(pods, 4)), ["unscheduled", "pending", "not-ready", "ready"]);
  });

  test("among ready pods the most recently ready goes first; then more restarts; then the newest", () => {
    assert.deepEqual(
      names(
        podsToDelete(
          [
            pod("long", { readySince: "2026-01-01T00:00:01Z" }),
            pod("recent", { readySince: "2026-01-01T00:00:09Z" }),
          ],
          1,
        ),
      ),
      ["recent"],
    );
    assert.deepEqual(names(podsToDelete([pod("calm", {}), pod("crashy", { restarts: 3 })], 1)), ["crashy"]);
    assert.deepEqual(
      names(
        podsToDelete(
          [pod("old", { created: "2026-01-01T00:00:00Z" }), pod("new", { created: "2026-01-01T00:00:05Z" })],
          1,
        ),
      ),
      ["new"],
    );
  });
});
