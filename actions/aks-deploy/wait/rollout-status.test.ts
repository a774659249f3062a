// Every branch of kubectl's DeploymentStatusViewer.Status, with its exact messages.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AppsV1Api, type V1Deployment, type V1DeploymentStatus } from "@kubernetes/client-node";
import { execFileAsync } from "../../../local/common/exec-file.ts";
import { signalThresholds } from "./pod-signals.ts";
import { type RolloutStatus, rolloutStatus } from "./rollout-status.ts";
import {
  deployment as manifest,
  namespace,
  type RolloutCluster,
  startRolloutCluster,
} from "./testing/rollout-cluster.ts";
import { waitForRollout } from "./wait-for-rollout.ts";

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

// The same rules beside the real kubectl on settled Deployments of the local platform: what
// `kubectl rollout status --watch=false` prints (or its error) is what rolloutStatus says of the object read.
describe("rolloutStatus beside kubectl rollout status", { timeout: 180_000 }, () => {
  let cluster: RolloutCluster;
  before(async () => {
    cluster = await startRolloutCluster(["web:1"]);
  });
  after(async () => {
    await cluster?.close();
  });

  async function kubectl(name: string, revision?: number): Promise<RolloutStatus> {
    const args = ["rollout", "status", "--watch=false", `deployment/${name}`];
    if (revision !== undefined) args.push(`--revision=${revision}`);
    return execFileAsync("kubectl", args, {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
    }).then(
      ({ stdout }) => {
        const message = stdout.trim();
        return message.endsWith("successfully rolled out")
          ? { done: true, message }
          : { done: false, message };
      },
      (error: { stderr?: string }) => ({
        done: false,
        failed: true,
        message: (error.stderr ?? "").trim().replace(/^error: /, ""),
      }),
    );
  }

  async function ours(name: string, revision?: number): Promise<RolloutStatus> {
    const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
    return rolloutStatus(await apps.readNamespacedDeployment({ name, namespace }), revision);
  }

  const wait = (name: string, timeoutMs = 60_000) =>
    waitForRollout({
      kubeConfig: cluster.kubeConfig,
      namespace,
      name,
      timeoutMs,
      thresholds: signalThresholds({ readinessMarginMs: 3_600_000 }),
      signal: new AbortController().signal,
      clock: cluster.clock,
    });

  test("rolled out, and a --revision that differs", async () => {
    await cluster.apply(manifest("done", { replicas: 2 }));
    assert.equal((await wait("done")).status, "complete");
    assert.deepEqual(await ours("done"), await kubectl("done"));
    assert.deepEqual(await ours("done", 1), await kubectl("done", 1));
    assert.deepEqual(await ours("done", 5), await kubectl("done", 5));
    assert.equal(
      (await ours("done", 5)).message,
      "desired revision (5) is different from the running revision (1)",
    );
  });

  test("updated replicas not available (a pod that never becomes ready)", async () => {
    await cluster.apply(manifest("stalled", { replicas: 1, script: { neverReady: true } }));
    assert.equal((await wait("stalled", 1500)).status, "failed");
    const status = await ours("stalled");
    assert.equal(
      status.message,
      'Waiting for deployment "stalled" rollout to finish: 0 of 1 updated replicas are available...',
    );
    assert.deepEqual(status, await kubectl("stalled"));
  });

  test("progress deadline exceeded", async () => {
    await cluster.apply(
      manifest("late", { replicas: 1, progressDeadlineSeconds: 5, script: { neverReady: true } }),
    );
    const outcome = await wait("late");
    assert.equal(outcome.status === "failed" && outcome.cause, "progress-deadline");
    assert.deepEqual(await ours("late"), await kubectl("late"));
    assert.equal((await ours("late")).message, 'deployment "late" exceeded its progress deadline');
  });
});
