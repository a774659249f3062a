import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Deployment,
} from "@kubernetes/client-node";
import { execFileAsync } from "../../../local/common/exec-file.ts";
import { waitUntil } from "../../../local/common/testing/wait-until.ts";
import { replicaSetsOf } from "../../lib/kube/deployment-replica-sets.ts";
import { startTestCluster, type TestCluster } from "../testing/test-platform.ts";
import { workload } from "../testing/workloads.ts";
import { revisionOf } from "../wait/revision.ts";
import { currentTarget, markReleaseVerified, ReleaseLedger } from "./ledger.ts";
import { isVerified, lastVerified } from "./release.ts";

let cluster: TestCluster;
let apps: AppsV1Api;
let core: CoreV1Api;
let objects: KubernetesObjectApi;

before(async () => {
  cluster = await startTestCluster(["app:1", "app:2", "app:3"]);
  apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  objects = KubernetesObjectApi.makeApiClient(cluster.kubeConfig);
});
after(async () => {
  await cluster?.close();
});

async function rollOut(deployment: V1Deployment): Promise<V1Deployment> {
  await objects.patch(deployment, undefined, undefined, "test", true, PatchStrategy.ServerSideApply);
  const name = deployment.metadata?.name ?? "";
  return waitUntil(`deployment ${name} rolled out`, async () => {
    const live = await apps.readNamespacedDeployment({ name, namespace: "default" });
    const status = live.status ?? {};
    const done =
      (status.observedGeneration ?? 0) >= (live.metadata?.generation ?? 1) &&
      status.updatedReplicas === live.spec?.replicas &&
      status.availableReplicas === live.spec?.replicas &&
      status.replicas === live.spec?.replicas;
    return done ? live : undefined;
  });
}

describe("release ledger", () => {
  test("a verified mark stays with its release: not inherited by the next one, kept across kubectl undo", async () => {
    const ledger = new ReleaseLedger(core, "default", "web");
    const first = await rollOut(workload({ image: "app:1" }));
    const firstTarget = await currentTarget(apps, first);
    assert.ok(firstTarget);
    const verified = await markReleaseVerified(cluster.kubeConfig, "default", "web", { by: "smoke-test" });
    assert.equal(verified.target?.replicaSetUid, firstTarget.replicaSetUid);

    const id = await ledger.recordStart({
      kind: "deploy",
      run: "run-2",
      startedAt: new Date().toISOString(),
      changeCause: "app:2",
      previous: firstTarget,
    });
    const second = await rollOut(workload({ image: "app:2" }));
    const secondTarget = await currentTarget(apps, second);
    assert.ok(secondTarget);
    await ledger.recordResult(id, { state: "deployed", target: secondTarget });
    let releases = await ledger.releases();
    assert.equal(isVerified(releases, secondTarget.replicaSetUid), false, "release 2 is not verified");
    assert.equal(lastVerified(releases)?.target?.replicaSetUid, firstTarget.replicaSetUid);
    assert.equal(lastVerified(releases, firstTarget.replicaSetUid), undefined);

    // kubectl's undo copies the old ReplicaSet's annotations onto the Deployment; the controller renumbers it.
    const undo = await execFileAsync("kubectl", ["rollout", "undo", "deployment/web", "--to-revision=1"], {
      env: { ...process.env, KUBECONFIG: cluster.kubeconfigPath },
    });
    assert.match(undo.stdout, /rolled back/);
    const undone = await waitUntil("undo observed", async () => {
      const live = await apps.readNamespacedDeployment({ name: "web", namespace: "default" });
      return revisionOf(live.metadata).revision === 3 ? live : undefined;
    });
    const reused = await currentTarget(apps, undone);
    assert.equal(reused?.replicaSetUid, firstTarget.replicaSetUid, "the undo reused release 1's ReplicaSet");
    assert.equal(reused?.revision, 3);

    // A third release made from the undone Deployment: it must not be verified, whatever was copied.
    const third = await rollOut(workload({ image: "app:3" }));
    const thirdTarget = await currentTarget(apps, third);
    assert.ok(thirdTarget);
    releases = await ledger.releases();
    assert.equal(
      isVerified(releases, thirdTarget.replicaSetUid),
      false,
      "release 3 did not inherit the mark",
    );
    const replicaSets = await replicaSetsOf(apps, third);
    const annotations = JSON.stringify(replicaSets.map((replicaSet) => replicaSet.metadata?.annotations));
    assert.doesNotMatch(annotations, /verified/, "no verified mark travels in annotations");
    // Marking by revision after renumbering finds release 1's ReplicaSet.
    const again = await markReleaseVerified(cluster.kubeConfig, "default", "web", {
      revision: 3,
      by: "person",
    });
    assert.equal(again.target?.replicaSetUid, firstTarget.replicaSetUid);
  });

  test("concurrent writers do not lose each other's releases", async () => {
    const ledger = new ReleaseLedger(core, "default", "concurrent");
    const start = (runName: string) =>
      ledger.recordStart({
        kind: "deploy",
        run: runName,
        startedAt: new Date().toISOString(),
        changeCause: "",
      });
    const ids = await Promise.all(["a", "b", "c", "d"].map(start));
    assert.deepEqual([...ids].sort(), [1, 2, 3, 4]);
    assert.equal((await ledger.releases()).length, 4);
  });

  test("marking a revision that does not exist names it", async () => {
    await assert.rejects(
      markReleaseVerified(cluster.kubeConfig, "default", "web", { revision: 99, by: "x" }),
      /unable to find specified revision 99 in history/,
    );
  });
});
