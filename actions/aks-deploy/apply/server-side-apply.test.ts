import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AppsV1Api, KubernetesObjectApi, PatchStrategy } from "@kubernetes/client-node";
import { execFileAsync } from "../../../local/common/exec-file.ts";
import { waitUntil } from "../../../local/common/testing/wait-until.ts";
import { startTestCluster, type TestCluster } from "../testing/test-platform.ts";
import { configFor, serviceFor, workload } from "../testing/workloads.ts";
import { revisionOf } from "../wait/revision.ts";
import { ApplyError, applyAll } from "./server-side-apply.ts";

let cluster: TestCluster;
let objectApi: KubernetesObjectApi;
let apps: AppsV1Api;
before(async () => {
  cluster = await startTestCluster(["app:1", "app:2"]);
  objectApi = KubernetesObjectApi.makeApiClient(cluster.kubeConfig);
  apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
});
after(async () => {
  await cluster?.close();
});

const fieldManager = "aks-deploy";

describe("server-side apply", () => {
  test("a namespace and what lives in it, listed in any order, apply in one pass", async () => {
    const applied = await applyAll(
      [
        workload({ image: "app:1", namespace: "shop" }),
        serviceFor("web", "shop"),
        configFor("web", "shop"),
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
      ],
      { objectApi, fieldManager },
    );
    assert.deepEqual(
      applied.map((object) => object.kind),
      ["Namespace", "ConfigMap", "Service", "Deployment"],
    );
    assert.ok(applied.every((object) => object.resourceVersion !== ""));
  });

  test("after a manual kubectl rollout undo the next apply still applies, taking the fields back", async () => {
    const env = { ...process.env, KUBECONFIG: cluster.kubeconfigPath };
    await applyAll([workload({ image: "app:2", namespace: "shop" })], { objectApi, fieldManager });
    await waitUntil("revision 2", async () => {
      const live = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
      return revisionOf(live.metadata).revision === 2;
    });
    await execFileAsync("kubectl", ["-n", "shop", "rollout", "undo", "deployment/web"], { env });
    const applied = await applyAll([workload({ image: "app:2", namespace: "shop" })], {
      objectApi,
      fieldManager,
    });
    // The undo's JSON patch is recorded under the User-Agent's product ("kubectl") as the real server does.
    assert.deepEqual(applied[0]?.forcedFrom, ["kubectl"]);
    const live = await apps.readNamespacedDeployment({ name: "web", namespace: "shop" });
    assert.equal(live.spec?.template.spec?.containers[0]?.image, "app:2");
  });

  test("a conflict with another manager stops the apply and names it", async () => {
    const scaled = workload({ image: "app:2", namespace: "shop", replicas: 5 });
    await objectApi.patch(scaled, undefined, undefined, "autoscaler", true, PatchStrategy.ServerSideApply);
    await assert.rejects(
      applyAll([configFor("web", "shop"), workload({ image: "app:2", namespace: "shop" })], {
        objectApi,
        fieldManager,
      }),
      (error: unknown) => {
        assert.ok(error instanceof ApplyError);
        assert.match(
          error.message,
          /^applying Deployment web in namespace shop failed: .*conflict with "autoscaler"/,
        );
        assert.deepEqual(
          error.applied.map((object) => object.kind),
          ["ConfigMap"],
        );
        return true;
      },
    );
  });
});
