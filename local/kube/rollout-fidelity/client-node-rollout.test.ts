// Fidelity: the same rollout scenarios through @kubernetes/client-node (server-side apply, Watch, the JSON
// patch kubectl's undo sends, the scale subresource) against the platform.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  ApiException,
  AppsV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
  type V1ReplicaSet,
  Watch,
} from "@kubernetes/client-node";
import { deployment, startTestPlatform, type TestPlatform } from "./fixture.ts";

let t: TestPlatform;
let objects: KubernetesObjectApi;
let apps: AppsV1Api;
let config: KubeConfig;

before(async () => {
  t = await startTestPlatform();
  config = new KubeConfig();
  config.loadFromFile(t.platform.kubeconfigPath);
  objects = KubernetesObjectApi.makeApiClient(config);
  apps = config.makeApiClient(AppsV1Api);
});
after(async () => {
  await t?.close();
});

const revisionKey = "deployment.kubernetes.io/revision";

/** Rule 1.3 as kubectl evaluates it: "done", "deadline" (failure), or undefined (keep waiting). */
function verdict(d: V1Deployment): "done" | "deadline" | undefined {
  const status = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (status.observedGeneration ?? 0)) return undefined;
  if (status.conditions?.some((c) => c.type === "Progressing" && c.reason === "ProgressDeadlineExceeded"))
    return "deadline";
  const updated = status.updatedReplicas ?? 0;
  if (d.spec?.replicas !== undefined && updated < d.spec.replicas) return undefined;
  if ((status.replicas ?? 0) > updated) return undefined;
  if ((status.availableReplicas ?? 0) < updated) return undefined;
  return "done";
}

/** Watches the Deployment (fieldSelector metadata.name, as kubectl) until its verdict is reached. */
async function waitForRollout(name: string): Promise<"done" | "deadline"> {
  const watch = new Watch(config);
  for (;;) {
    const current = await apps.readNamespacedDeployment({ name, namespace: "default" });
    const now = verdict(current);
    if (now) return now;
    const outcome = await new Promise<"done" | "deadline" | undefined>((resolve) => {
      let controller: AbortController | undefined;
      watch
        .watch(
          "/apis/apps/v1/namespaces/default/deployments",
          { fieldSelector: `metadata.name=${name}`, resourceVersion: current.metadata?.resourceVersion },
          (type, object: V1Deployment) => {
            if (type !== "ADDED" && type !== "MODIFIED") return;
            const reached = verdict(object);
            if (reached) {
              resolve(reached);
              controller?.abort();
            }
          },
          () => resolve(undefined),
        )
        .then(
          (started) => {
            controller = started;
          },
          () => resolve(undefined),
        );
    });
    if (outcome) return outcome;
  }
}

async function apply(manifest: V1Deployment, force = true): Promise<V1Deployment> {
  return objects.patch(manifest, undefined, undefined, "pipeline", force, PatchStrategy.ServerSideApply);
}

async function replicaSets(app: string): Promise<V1ReplicaSet[]> {
  return (await apps.listNamespacedReplicaSet({ namespace: "default", labelSelector: `app=${app}` })).items;
}

/** kubectl rollout undo's patch (docs/rollout-semantics.md 2.3): the ReplicaSet's template and the merged annotations. */
async function undoTo(name: string, revision: number): Promise<void> {
  const d = await apps.readNamespacedDeployment({ name, namespace: "default" });
  const target = (await replicaSets(name)).find(
    (rs) => rs.metadata?.annotations?.[revisionKey] === String(revision),
  );
  assert.ok(target?.spec?.template, `revision ${revision} exists`);
  const template = structuredClone(target.spec.template);
  delete template.metadata?.labels?.["pod-template-hash"];
  const skipped = [
    "kubectl.kubernetes.io/last-applied-configuration",
    revisionKey,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
  ];
  const annotations: Record<string, string> = {};
  for (const key of skipped) {
    const value = d.metadata?.annotations?.[key];
    if (value !== undefined) annotations[key] = value;
  }
  for (const [key, value] of Object.entries(target.metadata?.annotations ?? {}))
    if (!skipped.includes(key)) annotations[key] = value;
  await apps.patchNamespacedDeployment(
    {
      name,
      namespace: "default",
      body: [
        { op: "replace", path: "/spec/template", value: template },
        { op: "replace", path: "/metadata/annotations", value: annotations },
      ],
    },
    setHeaderOptions("Content-Type", PatchStrategy.JsonPatch),
  );
}

describe("client-node against the platform", () => {
  test("server-side apply, then a watch sees the rollout complete at revision 1", async () => {
    const applied = await apply(deployment("api"));
    assert.equal(applied.metadata?.generation, 1);
    assert.equal(await waitForRollout("api"), "done");
    const d = await apps.readNamespacedDeployment({ name: "api", namespace: "default" });
    assert.equal(d.metadata?.annotations?.[revisionKey], "1");
    assert.equal(d.status?.availableReplicas, 3);
  });

  test("two updates, then kubectl's undo patch to revision 2: the same ReplicaSet, revision 4, revision-history 2", async () => {
    for (const image of ["web:2", "web:3"]) {
      await apply(deployment("api", { image }));
      assert.equal(await waitForRollout("api"), "done");
    }
    const two = (await replicaSets("api")).find((rs) => rs.metadata?.annotations?.[revisionKey] === "2");
    await undoTo("api", 2);
    assert.equal(await waitForRollout("api"), "done");
    const sets = await replicaSets("api");
    assert.equal(sets.length, 3);
    const reused = sets.find((rs) => rs.metadata?.uid === two?.metadata?.uid);
    assert.equal(reused?.metadata?.annotations?.[revisionKey], "4");
    assert.equal(reused?.metadata?.annotations?.["deployment.kubernetes.io/revision-history"], "2");
    const d = await apps.readNamespacedDeployment({ name: "api", namespace: "default" });
    assert.equal(d.metadata?.annotations?.[revisionKey], "4");
    assert.equal(d.spec?.template?.spec?.containers[0]?.image, "web:2");
  });

  test("after the undo patch, applying without force conflicts with 409; with force it applies (docs/rollout-semantics.md 5.1)", async () => {
    const conflict = await apply(deployment("api", { image: "web:3" }), false).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(conflict instanceof ApiException);
    assert.equal(conflict.code, 409);
    await apply(deployment("api", { image: "web:3" }), true);
    assert.equal(await waitForRollout("api"), "done");
  });

  test("the scale subresource resizes the Deployment", async () => {
    await apps.patchNamespacedDeploymentScale(
      { name: "api", namespace: "default", body: { spec: { replicas: 5 } } },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
    assert.equal(await waitForRollout("api"), "done");
    const scale = await apps.readNamespacedDeploymentScale({ name: "api", namespace: "default" });
    assert.deepEqual([scale.spec?.replicas, scale.status?.replicas], [5, 5]);
  });

  test("a rollout that cannot progress ends in ProgressDeadlineExceeded with the exact message", async () => {
    await apply(deployment("stalled", { replicas: 2, neverReady: true, progressDeadlineSeconds: 10 }));
    assert.equal(await waitForRollout("stalled"), "deadline");
    const d = await apps.readNamespacedDeployment({ name: "stalled", namespace: "default" });
    const [rs] = await replicaSets("stalled");
    const progressing = d.status?.conditions?.find((c) => c.type === "Progressing");
    assert.equal(progressing?.status, "False");
    assert.equal(progressing?.message, `ReplicaSet "${rs?.metadata?.name}" has timed out progressing.`);
  });
});
