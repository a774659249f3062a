// Fidelity: @kubernetes/client-node (KubernetesObjectApi, AppsV1Api, Watch) against a platform instance,
// through the kubeconfig it writes (HTTPS with the platform's CA, bearer token).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ApiException,
  AppsV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Deployment,
  Watch,
} from "@kubernetes/client-node";
import { type RunningPlatform, startPlatform } from "./start-platform.ts";

let platform: RunningPlatform;
let dir: string;
let config: KubeConfig;
let objects: KubernetesObjectApi;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "client-node-fidelity-"));
  platform = await startPlatform({ stateDir: join(dir, "state"), components: ["api-server"] });
  config = new KubeConfig();
  config.loadFromFile(platform.kubeconfigPath);
  objects = KubernetesObjectApi.makeApiClient(config);
});
after(async () => {
  await platform.stop();
  rmSync(dir, { recursive: true, force: true });
});

function deployment(name: string, replicas: number, image = "app:1"): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default", labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image }] } },
    },
  };
}

async function apiError(run: () => Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  assert.fail("expected an ApiException");
}

describe("client-node against the platform", () => {
  test("server-side apply through KubernetesObjectApi.patch creates, then read and list see it", async () => {
    const applied = await objects.patch(
      deployment("web", 2),
      undefined,
      undefined,
      "pipeline",
      true,
      PatchStrategy.ServerSideApply,
    );
    assert.equal(applied.metadata?.generation, 1);
    const read = await objects.read<V1Deployment>({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
    });
    assert.equal(read.spec?.replicas, 2);
    assert.equal(read.spec?.strategy?.type, "RollingUpdate", "server defaults are visible");
    assert.deepEqual(
      read.metadata?.managedFields?.map((entry) => [entry.manager, entry.operation]),
      [["pipeline", "Apply"]],
    );
    const list = await objects.list<V1Deployment>("apps/v1", "Deployment", "default");
    assert.deepEqual(
      list.items.map((item) => item.metadata?.name),
      ["web"],
    );
  });

  test("another manager without force gets ApiException 409 with the conflict message; with force it wins", async () => {
    const error = await apiError(() =>
      objects.patch(
        deployment("web", 7),
        undefined,
        undefined,
        "other",
        false,
        PatchStrategy.ServerSideApply,
      ),
    );
    assert.equal(error.code, 409);
    assert.match(
      String(error.body),
      /Apply failed with 1 conflict: conflict with \\"pipeline\\": \.spec\.replicas/,
    );
    const forced = await objects.patch(
      deployment("web", 7),
      undefined,
      undefined,
      "other",
      true,
      PatchStrategy.ServerSideApply,
    );
    assert.equal(forced.spec?.replicas, 7);
  });

  test("server-side dry run changes nothing", async () => {
    const dry = await objects.patch(
      deployment("web", 9, "app:9"),
      undefined,
      "All",
      "pipeline",
      true,
      PatchStrategy.ServerSideApply,
    );
    assert.equal(dry.spec?.replicas, 9);
    const read = await objects.read<V1Deployment>({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: "default" },
    });
    assert.equal(read.spec?.replicas, 7);
  });

  test("typed AppsV1Api reads and 404s as ApiException", async () => {
    const apps = config.makeApiClient(AppsV1Api);
    const read = await apps.readNamespacedDeployment({ name: "web", namespace: "default" });
    assert.equal(read.metadata?.name, "web");
    const missing = await apiError(() =>
      apps.readNamespacedDeployment({ name: "missing", namespace: "default" }),
    );
    assert.equal(missing.code, 404);
    assert.match(String(missing.body), /deployments.apps \\"missing\\" not found/);
  });

  test("Watch delivers ADDED for the current object then MODIFIED and DELETED", async () => {
    const events: [string, string][] = [];
    let notify = () => {};
    const seen = (count: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${events.length} watch events`)), 20_000);
        notify = () => {
          if (events.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        notify();
      });
    const watch = new Watch(config);
    const controller = await watch.watch(
      "/apis/apps/v1/namespaces/default/deployments",
      {},
      (phase, object: V1Deployment) => {
        events.push([phase, String(object.spec?.replicas)]);
        notify();
      },
      () => {},
    );
    try {
      await seen(1);
      await objects.patch(
        deployment("web", 3),
        undefined,
        undefined,
        "other",
        true,
        PatchStrategy.ServerSideApply,
      );
      await seen(2);
      await objects.delete({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "default" },
      });
      await seen(3);
      assert.deepEqual(events, [
        ["ADDED", "7"],
        ["MODIFIED", "3"],
        ["DELETED", "3"],
      ]);
    } finally {
      controller.abort();
    }
    const gone = await apiError(() =>
      objects.read({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "web", namespace: "default" },
      }),
    );
    assert.equal(gone.code, 404);
  });
});
