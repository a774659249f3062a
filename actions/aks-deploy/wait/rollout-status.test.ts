// Every branch of kubectl's DeploymentStatusViewer.Status, with its exact messages.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { V1Deployment, V1DeploymentStatus } from "@kubernetes/client-node";
import { type RolloutStatus, rolloutStatus } from "./rollout-status.ts";

function deployment(
  status: V1DeploymentStatus,
  options: { generation?: number; replicas?: number; revision?: string } = {},
): V1Deployment {
  return {
    metadata: {
      name: "api",
      generation: options.generation ?? 2,
      ...(options.revision === undefined
        ? {}
        : { annotations: { "deployment.kubernetes.io/revision": options.revision } }),
    },
    spec: {
      ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
      selector: {},
      template: {},
    },
    status,
  };
}

const settled = { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 };
const deadline = {
  type: "Progressing",
  status: "False",
  reason: "ProgressDeadlineExceeded",
  message: 'ReplicaSet "api-1" has timed out progressing.',
};

const cases: [string, V1Deployment, number | undefined, RolloutStatus][] = [
  [
    "revision mismatch is an error, checked before anything else",
    deployment({ observedGeneration: 1 }, { revision: "3" }),
    4,
    { done: false, failed: true, message: "desired revision (4) is different from the running revision (3)" },
  ],
  [
    "missing revision annotation reads as 0",
    deployment(settled, { replicas: 3 }),
    1,
    { done: false, failed: true, message: "desired revision (1) is different from the running revision (0)" },
  ],
  [
    "unparsable revision annotation",
    deployment(settled, { replicas: 3, revision: "x" }),
    1,
    {
      done: false,
      failed: true,
      message: 'cannot get the revision of deployment "api": strconv.ParseInt: parsing "x": invalid syntax',
    },
  ],
  [
    "revision 0 is not checked",
    deployment(settled, { replicas: 3, revision: "5" }),
    0,
    { done: true, message: 'deployment "api" successfully rolled out' },
  ],
  [
    "spec update not observed",
    deployment({ ...settled, observedGeneration: 1, conditions: [deadline] }, { replicas: 3 }),
    undefined,
    { done: false, message: "Waiting for deployment spec update to be observed..." },
  ],
  [
    "progress deadline exceeded, whatever the condition's status and the counts",
    deployment({ ...settled, conditions: [{ ...deadline, status: "True" }] }, { replicas: 3 }),
    undefined,
    { done: false, failed: true, message: 'deployment "api" exceeded its progress deadline' },
  ],
  [
    "new replicas not all updated",
    deployment({ ...settled, updatedReplicas: 1 }, { replicas: 3 }),
    undefined,
    {
      done: false,
      message: 'Waiting for deployment "api" rollout to finish: 1 out of 3 new replicas have been updated...',
    },
  ],
  [
    "old replicas pending termination",
    deployment({ ...settled, replicas: 5 }, { replicas: 3 }),
    undefined,
    {
      done: false,
      message: 'Waiting for deployment "api" rollout to finish: 2 old replicas are pending termination...',
    },
  ],
  [
    "updated replicas not all available",
    deployment({ ...settled, availableReplicas: 1 }, { replicas: 3 }),
    undefined,
    {
      done: false,
      message: 'Waiting for deployment "api" rollout to finish: 1 of 3 updated replicas are available...',
    },
  ],
  [
    "spec.replicas unset skips the updated check",
    deployment({ observedGeneration: 2 }),
    undefined,
    { done: true, message: 'deployment "api" successfully rolled out' },
  ],
  [
    "a Progressing condition with another reason does not fail",
    deployment(
      { ...settled, conditions: [{ type: "Progressing", status: "True", reason: "ReplicaSetUpdated" }] },
      {
        replicas: 3,
        revision: "2",
      },
    ),
    2,
    { done: true, message: 'deployment "api" successfully rolled out' },
  ],
];

for (const [name, object, revision, expected] of cases)
  test(`rolloutStatus: ${name}`, () => {
    assert.deepEqual(rolloutStatus(object, revision), expected);
  });
