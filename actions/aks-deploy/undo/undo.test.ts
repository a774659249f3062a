// kubectl's undo: the pure rules against every branch with kubectl's messages, then undoRollout against the
// local platform through client-node (previous, specific revision, skipped, paused, missing revision, no
// history, dry run), and the wait after undoing a rollout that exceeded its deadline (docs/rollout-semantics.md 3.10).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AppsV1Api, type V1Deployment, type V1ReplicaSet, Watch } from "@kubernetes/client-node";
import { signalThresholds } from "../wait/pod-signals.ts";
import { rolloutStatus } from "../wait/rollout-status.ts";
import {
  deployment,
  namespace,
  pinned,
  type RolloutCluster,
  startRolloutCluster,
} from "../wait/testing/rollout-cluster.ts";
import { type RolloutOutcome, waitForRollout } from "../wait/wait-for-rollout.ts";
import { annotationsToSkip, replicaSetForRevision, rollbackPatch, UndoError, undoRollout } from "./undo.ts";

function replicaSet(
  name: string,
  revision: string | undefined,
  annotations: Record<string, string> = {},
): V1ReplicaSet {
  return {
    metadata: {
      name,
      annotations: {
        ...(revision === undefined ? {} : { "deployment.kubernetes.io/revision": revision }),
        ...annotations,
      },
      labels: { app: "api", "pod-template-hash": `${name}-hash` },
    },
    spec: {
      selector: {},
      template: {
        metadata: { labels: { app: "api", "pod-template-hash": `${name}-hash` } },
        spec: { containers: [{ name: "web", image: `${name}:1` }] },
      },
    },
  };
}

const owner: V1Deployment = { metadata: { name: "api" } };

describe("replicaSetForRevision (deploymentRevision)", () => {
  const sets = [replicaSet("r3", "3"), replicaSet("r1", "1"), replicaSet("bad", "x"), replicaSet("r5", "5")];
  test("toRevision 0: the second-highest revision, whatever the order", () => {
    assert.equal(replicaSetForRevision(owner, sets, 0).metadata?.name, "r3");
    assert.equal(replicaSetForRevision(owner, [...sets].reverse(), 0).metadata?.name, "r3");
  });
  test("toRevision N: that revision", () => {
    assert.equal(replicaSetForRevision(owner, sets, 1).metadata?.name, "r1");
  });
  test("a missing annotation is revision 0 and can be the previous one; an unparsable one is skipped", () => {
    assert.equal(
      replicaSetForRevision(owner, [replicaSet("none", undefined), replicaSet("r1", "1")], 0).metadata?.name,
      "none",
    );
    assert.throws(() => replicaSetForRevision(owner, [replicaSet("bad", "x"), replicaSet("r1", "1")], 0), {
      message: 'no rollout history found for deployment "api"',
    });
  });
  test("kubectl's messages for a revision not in history and for no history", () => {
    assert.throws(() => replicaSetForRevision(owner, sets, 4), {
      name: "UndoError",
      message: "unable to find specified revision 4 in history",
    });
    assert.throws(() => replicaSetForRevision(owner, [replicaSet("r1", "1")], 0), {
      message: 'no rollout history found for deployment "api"',
    });
    assert.throws(() => replicaSetForRevision(owner, [], 0), {
      message: 'no rollout history found for deployment "api"',
    });
  });
});

test("rollbackPatch: the ReplicaSet's template without pod-template-hash; skip-list annotations from the Deployment", () => {
  const current: V1Deployment = {
    metadata: {
      name: "api",
      annotations: {
        "deployment.kubernetes.io/revision": "5",
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        "kubernetes.io/change-cause": "release 5",
        "team/owner": "deployment's",
      },
    },
  };
  const target = replicaSet("r3", "3", {
    "kubernetes.io/change-cause": "release 3",
    "deployment.kubernetes.io/desired-replicas": "2",
    "deployment.kubernetes.io/max-replicas": "3",
    "deployment.kubernetes.io/revision-history": "1",
  });
  const patch = rollbackPatch(current, target);
  assert.deepEqual(patch, [
    {
      op: "replace",
      path: "/spec/template",
      value: { metadata: { labels: { app: "api" } }, spec: { containers: [{ name: "web", image: "r3:1" }] } },
    },
    {
      op: "replace",
      path: "/metadata/annotations",
      value: {
        "kubectl.kubernetes.io/last-applied-configuration": "{}",
        "deployment.kubernetes.io/revision": "5",
        "kubernetes.io/change-cause": "release 3",
      },
    },
  ]);
  assert.equal(
    target.spec?.template?.metadata?.labels?.["pod-template-hash"],
    "r3-hash",
    "the input is not changed",
  );
  assert.equal(annotationsToSkip.size, 6);
});

describe("undoRollout on the local platform", { timeout: 300_000 }, () => {
  let cluster: RolloutCluster;
  let apps: AppsV1Api;
  const thresholds = signalThresholds({ readinessMarginMs: 3_600_000 });
  const wait = (name: string, afterUndo = false): Promise<RolloutOutcome> =>
    waitForRollout({
      kubeConfig: cluster.kubeConfig,
      namespace,
      name,
      timeoutMs: 60_000,
      thresholds,
      signal: new AbortController().signal,
      clock: cluster.clock,
      afterUndo,
    });
  const read = (name: string) => apps.readNamespacedDeployment({ name, namespace });
  const imageOf = (d: V1Deployment) => d.spec?.template.spec?.containers[0]?.image;

  before(async () => {
    cluster = await startRolloutCluster(["web:1", "web:2", "web:3"]);
    apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
    for (const [tag, cause] of [
      ["web:1", "release one"],
      ["web:2", "release two"],
      ["web:3", "release three"],
    ] as const) {
      await cluster.apply(deployment("api", { image: pinned(tag), replicas: 1, changeCause: cause }));
      assert.equal((await wait("api")).status, "complete");
    }
  });
  after(async () => {
    await cluster?.close();
  });

  test("undo to the previous revision: one JSON patch, revision 2's ReplicaSet reused as revision 4", async () => {
    const sets = (await apps.listNamespacedReplicaSet({ namespace, labelSelector: "app=api" })).items;
    const two = sets.find((rs) => rs.metadata?.annotations?.["deployment.kubernetes.io/revision"] === "2");
    const result = await undoRollout(apps, { namespace, name: "api" });
    assert.deepEqual(result, {
      revision: 2,
      replicaSetName: two?.metadata?.name,
      replicaSetUid: two?.metadata?.uid,
      skipped: false,
      message: "rolled back",
    });
    const outcome = await wait("api");
    assert.equal(outcome.status, "complete");
    assert.equal(outcome.status === "complete" && outcome.replicaSet.metadata?.uid, two?.metadata?.uid);
    const undone = await read("api");
    assert.equal(imageOf(undone), pinned("web:2"));
    assert.equal(undone.metadata?.annotations?.["deployment.kubernetes.io/revision"], "4");
    assert.equal(undone.metadata?.annotations?.["kubernetes.io/change-cause"], "release two");
  });

  test("the undo is ONE JSON patch with application/json-patch+json, as kubectl sends it", async () => {
    const { kubeConfig, proxy } = await cluster.throughFaultProxy({
      cutWatchesAfterMs: 60_000,
      failEvery: 0,
    });
    const through = kubeConfig.makeApiClient(AppsV1Api);
    const result = await undoRollout(through, { namespace, name: "api", toRevision: 3 });
    assert.equal(result.message, "rolled back");
    assert.equal(proxy.stats.writes.length, 1, JSON.stringify(proxy.stats.writes));
    const [write] = proxy.stats.writes;
    assert.equal(write?.method, "PATCH");
    assert.equal(write?.path, `/apis/apps/v1/namespaces/${namespace}/deployments/api`);
    assert.equal(write?.contentType, "application/json-patch+json");
    const patch = JSON.parse(write?.body ?? "[]") as { op: string; path: string }[];
    assert.deepEqual(
      patch.map(({ op, path }) => [op, path]),
      [
        ["replace", "/spec/template"],
        ["replace", "/metadata/annotations"],
      ],
    );
    assert.equal((await wait("api")).status, "complete");
    assert.equal(imageOf(await read("api")), pinned("web:3"));
  });

  test("undo to a specific revision", async () => {
    const result = await undoRollout(apps, { namespace, name: "api", toRevision: 1 });
    assert.equal(result.revision, 1);
    assert.equal(result.message, "rolled back");
    assert.equal((await wait("api")).status, "complete");
    assert.equal(imageOf(await read("api")), pinned("web:1"));
  });

  test("undo to the current template is skipped with kubectl's message and changes nothing", async () => {
    const before = await read("api");
    const current = Number(before.metadata?.annotations?.["deployment.kubernetes.io/revision"]);
    const result = await undoRollout(apps, { namespace, name: "api", toRevision: current });
    assert.equal(result.skipped, true);
    assert.equal(result.message, `skipped rollback (current template already matches revision ${current})`);
    assert.equal((await read("api")).metadata?.resourceVersion, before.metadata?.resourceVersion);
  });

  test("a server-side dry run answers without changing the Deployment", async () => {
    const before = await read("api");
    const result = await undoRollout(apps, { namespace, name: "api", toRevision: 4, dryRun: true });
    assert.equal(result.message, "rolled back");
    const after = await read("api");
    assert.equal(after.metadata?.resourceVersion, before.metadata?.resourceVersion);
    assert.equal(imageOf(after), pinned("web:1"));
  });

  test("missing revisions and negative ones: kubectl's message, nothing changed", async () => {
    const before = await read("api");
    for (const toRevision of [99, -1])
      await assert.rejects(undoRollout(apps, { namespace, name: "api", toRevision }), {
        name: "UndoError",
        message: `unable to find specified revision ${toRevision} in history`,
      });
    assert.equal((await read("api")).metadata?.resourceVersion, before.metadata?.resourceVersion);
  });

  test("a Deployment with a single revision has no rollout history", async () => {
    await cluster.apply(deployment("fresh", { replicas: 1 }));
    assert.equal((await wait("fresh")).status, "complete");
    await assert.rejects(undoRollout(apps, { namespace, name: "fresh" }), {
      message: 'no rollout history found for deployment "fresh"',
    });
  });

  test("a paused Deployment is refused with kubectl's message, nothing changed", async () => {
    await cluster.apply(deployment("paused", { replicas: 1 }));
    assert.equal((await wait("paused")).status, "complete");
    await cluster.apply(deployment("paused", { replicas: 1, image: pinned("web:2") }));
    assert.equal((await wait("paused")).status, "complete");
    await cluster.apply(deployment("paused", { replicas: 1, image: pinned("web:2"), paused: true }));
    const before = await read("paused");
    await assert.rejects(undoRollout(apps, { namespace, name: "paused" }), {
      message:
        "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    });
    assert.equal((await read("paused")).metadata?.resourceVersion, before.metadata?.resourceVersion);
  });

  test("a Deployment that does not exist", async () => {
    await assert.rejects(undoRollout(apps, { namespace, name: "ghost" }), (error: unknown) => {
      assert.ok(error instanceof UndoError);
      assert.equal(error.message, 'failed to retrieve Deployment ghost: deployments.apps "ghost" not found');
      return true;
    });
  });

  test("docs/rollout-semantics.md 3.10: after undoing a deadline-exceeded rollout the first status still reads ProgressDeadlineExceeded; the wait with afterUndo completes", async () => {
    await cluster.apply(deployment("stuck", { replicas: 1, progressDeadlineSeconds: 5 }));
    assert.equal((await wait("stuck")).status, "complete");
    await cluster.apply(
      deployment("stuck", {
        replicas: 1,
        progressDeadlineSeconds: 5,
        image: pinned("web:2"),
        script: { neverReady: true },
      }),
    );
    const failed = await wait("stuck");
    assert.equal(failed.status === "failed" && failed.cause, "progress-deadline");

    // An independent watch records what kubectl's rule would have judged after the undo.
    const verdicts: string[] = [];
    const independent = await new Watch(cluster.kubeConfig).watch(
      `/apis/apps/v1/namespaces/${namespace}/deployments`,
      { fieldSelector: "metadata.name=stuck" },
      (_type: string, object: V1Deployment) => {
        if (object.metadata?.annotations?.["deployment.kubernetes.io/revision"] === "3")
          verdicts.push(rolloutStatus(object).message);
      },
      () => {},
    );
    const undo = await undoRollout(apps, { namespace, name: "stuck" });
    assert.equal(undo.revision, 1);
    const outcome = await wait("stuck", true);
    independent.abort();
    assert.equal(outcome.status, "complete", JSON.stringify(outcome));
    assert.equal(imageOf(await read("stuck")), pinned("web:1"));
    const firstObserved = verdicts.find(
      (verdict) => verdict !== "Waiting for deployment spec update to be observed...",
    );
    assert.equal(firstObserved, 'deployment "stuck" exceeded its progress deadline', verdicts.join("\n"));
  });
});
