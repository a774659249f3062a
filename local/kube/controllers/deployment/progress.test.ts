import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { getCondition } from "../api/conditions.ts";
import { deploymentOf, replicaSetOf } from "./fixtures.test-helpers.ts";
import { deploymentTimedOut, pausedCondition, recheckAfterMs, withRolloutConditions } from "./progress.ts";
import { calculateStatus } from "./status.ts";

const t0 = new Date("2026-01-01T00:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const text = (date: Date) => `${date.toISOString().slice(0, 19)}Z`;

function progressing(reason: string, status: "True" | "False", updated: Date) {
  return {
    type: "Progressing",
    status,
    reason,
    message: "",
    lastUpdateTime: text(updated),
    lastTransitionTime: text(updated),
  };
}

describe("Progressing condition (docs/rollout-semantics.md 3.7)", () => {
  test("complete: True NewReplicaSetAvailable with the exact message", () => {
    const d = deploymentOf(2);
    const fresh = replicaSetOf("web-abc", { spec: 2 });
    const status = withRolloutConditions(
      d,
      [fresh],
      fresh,
      calculateStatus(d, [fresh], fresh, text(t0)),
      t0,
      text(t0),
    );
    const condition = getCondition(status.conditions, "Progressing");
    assert.equal(condition?.status, "True");
    assert.equal(condition?.reason, "NewReplicaSetAvailable");
    assert.equal(condition?.message, 'ReplicaSet "web-abc" has successfully progressed.');
  });

  test("progress since the last status: True ReplicaSetUpdated, lastUpdateTime refreshed, transition kept", () => {
    const d = deploymentOf(3);
    d.status = {
      replicas: 3,
      updatedReplicas: 0,
      readyReplicas: 3,
      availableReplicas: 3,
      conditions: [progressing("NewReplicaSetCreated", "True", t0)],
    };
    const old = replicaSetOf("web-old", { spec: 3 });
    const fresh = replicaSetOf("web-new", { spec: 1, available: 0, ready: 0 });
    const status = withRolloutConditions(
      d,
      [old, fresh],
      fresh,
      calculateStatus(d, [old, fresh], fresh, text(at(5))),
      at(5),
      text(at(5)),
    );
    const condition = getCondition(status.conditions, "Progressing");
    assert.equal(condition?.reason, "ReplicaSetUpdated");
    assert.equal(condition?.message, 'ReplicaSet "web-new" is progressing.');
    assert.equal(condition?.lastUpdateTime, text(at(5)));
    assert.equal(condition?.lastTransitionTime, text(t0));
  });

  test("no progress past the deadline: False ProgressDeadlineExceeded with the exact message", () => {
    const d = deploymentOf(1, { progressDeadlineSeconds: 10 });
    d.status = {
      replicas: 1,
      updatedReplicas: 1,
      readyReplicas: 0,
      availableReplicas: 0,
      conditions: [progressing("ReplicaSetUpdated", "True", t0)],
    };
    const fresh = replicaSetOf("web-new", { spec: 1, available: 0, ready: 0 });
    const before = withRolloutConditions(
      d,
      [fresh],
      fresh,
      calculateStatus(d, [fresh], fresh, text(at(10))),
      at(10),
      text(at(10)),
    );
    assert.equal(getCondition(before.conditions, "Progressing")?.reason, "ReplicaSetUpdated");
    const after = withRolloutConditions(
      d,
      [fresh],
      fresh,
      calculateStatus(d, [fresh], fresh, text(at(11))),
      at(11),
      text(at(11)),
    );
    const condition = getCondition(after.conditions, "Progressing");
    assert.equal(condition?.status, "False");
    assert.equal(condition?.reason, "ProgressDeadlineExceeded");
    assert.equal(condition?.message, 'ReplicaSet "web-new" has timed out progressing.');
  });

  test("once exceeded it stays exceeded until progress is seen (docs/rollout-semantics.md 3.10)", () => {
    const d = deploymentOf(1, { progressDeadlineSeconds: 600 });
    const status = { conditions: [progressing("ProgressDeadlineExceeded", "False", t0)] };
    assert.ok(deploymentTimedOut(d, status, at(1)));
  });

  test("ReplicaSet ReplicaFailure conditions are copied to the Deployment, and removed when gone", () => {
    const d = deploymentOf(1);
    const failing = replicaSetOf("web-new", { spec: 1, replicas: 0, available: 0 });
    failing.status = {
      ...failing.status,
      conditions: [
        {
          type: "ReplicaFailure",
          status: "True",
          reason: "FailedCreate",
          message: "quota",
          lastTransitionTime: text(t0),
        },
      ],
    };
    const status = withRolloutConditions(
      d,
      [failing],
      failing,
      calculateStatus(d, [failing], failing, text(t0)),
      t0,
      text(t0),
    );
    assert.equal(getCondition(status.conditions, "ReplicaFailure")?.reason, "FailedCreate");
    d.status = status;
    const healed = replicaSetOf("web-new", { spec: 1 });
    const next = withRolloutConditions(
      d,
      [healed],
      healed,
      calculateStatus(d, [healed], healed, text(t0)),
      t0,
      text(t0),
    );
    assert.equal(getCondition(next.conditions, "ReplicaFailure"), undefined);
  });

  test("the deadline is rechecked one second after it falls due", () => {
    const d = deploymentOf(1, { progressDeadlineSeconds: 10 });
    assert.equal(
      recheckAfterMs(d, { conditions: [progressing("ReplicaSetUpdated", "True", t0)] }, at(4)),
      7000,
    );
    assert.equal(
      recheckAfterMs(d, { conditions: [progressing("ProgressDeadlineExceeded", "False", t0)] }, at(4)),
      undefined,
    );
  });

  test("paused and resumed are recorded as Progressing Unknown", () => {
    const d = deploymentOf(1, { paused: true });
    assert.equal(pausedCondition(d, "t")?.reason, "DeploymentPaused");
    assert.equal(pausedCondition(d, "t")?.message, "Deployment is paused");
    d.status = { conditions: [progressing("DeploymentPaused", "True", t0)] };
    d.spec.paused = false;
    assert.equal(pausedCondition(d, "t")?.message, "Deployment is resumed");
    d.status = { conditions: [progressing("ProgressDeadlineExceeded", "False", t0)] };
    d.spec.paused = true;
    assert.equal(pausedCondition(d, "t"), undefined);
  });
});
