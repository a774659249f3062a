// resumableWatch against the local platform's API server, directly and through a proxy that cuts every
// watch, expires some (410) and answers 429/503: the state built from the changes always converges to the
// server's, a re-list replaces it, a refused token fails for good, and aborting ends it.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CoreV1Api, KubeConfig, type V1ConfigMap } from "@kubernetes/client-node";
import { type RunningPlatform, startPlatform } from "../../../local/platform/start-platform.ts";
import { startFaultProxy } from "../../aks-deploy/wait/testing/fault-proxy.ts";
import { resumableWatch, type WatchChange, WatchFailedError, type WatchTarget } from "./watch.ts";

let platform: RunningPlatform;
let stateDir: string;
let kubeConfig: KubeConfig;
before(async () => {
  stateDir = mkdtempSync(join(tmpdir(), "resumable-watch-"));
  platform = await startPlatform({ stateDir, components: ["api-server"] });
  kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(platform.kubeconfigPath);
});
after(async () => {
  await platform?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

function configMaps(config: KubeConfig, labelSelector: string): WatchTarget<V1ConfigMap> {
  const core = config.makeApiClient(CoreV1Api);
  return {
    path: "/api/v1/namespaces/default/configmaps",
    labelSelector,
    list: () => core.listNamespacedConfigMap({ namespace: "default", labelSelector }),
  };
}

/** Follows a watch into a name -> data map; `until` resolves once the map satisfies a test. */
function follow(config: KubeConfig, labelSelector: string, signal: AbortSignal) {
  const state = new Map<string, string | undefined>();
  const changes: WatchChange<V1ConfigMap>["type"][] = [];
  const retries: string[] = [];
  let waiter: { test: () => boolean; resolve: () => void } | undefined;
  const done = resumableWatch<V1ConfigMap>({
    kubeConfig: config,
    target: configMaps(config, labelSelector),
    signal,
    backoff: { initialMs: 20, maxMs: 200 },
    onRetry: (reason) => retries.push(reason),
    onChange: (change) => {
      changes.push(change.type);
      if (change.type === "LIST") {
        state.clear();
        for (const item of change.items) state.set(item.metadata?.name ?? "", item.data?.value);
      } else if (change.type === "DELETED") state.delete(change.object.metadata?.name ?? "");
      else state.set(change.object.metadata?.name ?? "", change.object.data?.value);
      if (waiter?.test()) waiter.resolve();
    },
  });
  const until = (test: () => boolean) =>
    test() ? Promise.resolve() : new Promise<void>((resolve) => (waiter = { test, resolve }));
  return { state, changes, retries, done, until };
}

const core = () => kubeConfig.makeApiClient(CoreV1Api);

async function write(group: string, index: number, value: string) {
  const name = `${group}-${index}`;
  const body = { metadata: { name, labels: { group } }, data: { value } };
  await core()
    .replaceNamespacedConfigMap({ name, namespace: "default", body })
    .catch(() => core().createNamespacedConfigMap({ namespace: "default", body }));
}

describe("resumableWatch", { timeout: 120_000 }, () => {
  test("lists first, then follows adds, updates and deletes", async () => {
    await write("plain", 0, "before");
    const stop = new AbortController();
    const watched = follow(kubeConfig, "group=plain", stop.signal);
    await watched.until(() => watched.state.get("plain-0") === "before");
    await write("plain", 1, "added");
    await write("plain", 0, "updated");
    await core().deleteNamespacedConfigMap({ name: "plain-1", namespace: "default" });
    await watched.until(() => watched.state.get("plain-0") === "updated" && !watched.state.has("plain-1"));
    assert.deepEqual(watched.changes, ["LIST", "ADDED", "MODIFIED", "DELETED"]);
    stop.abort();
    await watched.done;
  });

  test("through cuts, 410 Expired, 429 and 503 the followed state converges and re-lists happen", async () => {
    const cluster = kubeConfig.getCurrentCluster();
    const user = kubeConfig.getCurrentUser();
    assert.ok(cluster?.caData && user?.token);
    const proxy = await startFaultProxy({
      upstream: cluster.server,
      ca: Buffer.from(cluster.caData, "base64").toString(),
      cutWatchesAfterMs: 150,
      failEvery: 4,
      expireEvery: 3,
    });
    const faulty = new KubeConfig();
    faulty.loadFromOptions({
      clusters: [{ name: "p", server: proxy.url, skipTLSVerify: true }],
      users: [{ name: "p", token: user.token }],
      contexts: [{ name: "p", cluster: "p", user: "p" }],
      currentContext: "p",
    });
    const stop = new AbortController();
    const watched = follow(faulty, "group=faulty", stop.signal);
    // Rounds of writes, each awaited until the followed state shows it, go on until every kind of fault has
    // hit the watch at least once (on a fast machine the first rounds can finish before a cut is due).
    const faultsSeen = () =>
      proxy.stats.watchesCut > 0 &&
      proxy.stats.watchesExpired > 0 &&
      proxy.stats.throttled > 0 &&
      proxy.stats.unavailable > 0 &&
      watched.changes.filter((type) => type === "LIST").length > 1 &&
      watched.retries.some((reason) => reason.includes("Too Many Requests") || reason.includes("429"));
    try {
      for (let round = 0; round < 3 || (!faultsSeen() && round < 2_000); round++) {
        for (let index = 0; index < 10; index++) await write("faulty", index, `round ${round}`);
        await watched.until(() =>
          Array.from({ length: 10 }, (_, index) => watched.state.get(`faulty-${index}`)).every(
            (value) => value === `round ${round}`,
          ),
        );
      }
      assert.ok(proxy.stats.watchesCut > 0, JSON.stringify(proxy.stats));
      assert.ok(proxy.stats.watchesExpired > 0, JSON.stringify(proxy.stats));
      assert.ok(proxy.stats.throttled > 0 && proxy.stats.unavailable > 0, JSON.stringify(proxy.stats));
      assert.ok(watched.changes.filter((type) => type === "LIST").length > 1, "re-listed after 410");
      assert.ok(
        watched.retries.some((reason) => reason.includes("Too Many Requests") || reason.includes("429")),
      );
    } finally {
      stop.abort();
      await watched.done;
      await proxy.close();
    }
  });

  test("a refused token fails for good with WatchFailedError", async () => {
    const cluster = kubeConfig.getCurrentCluster();
    assert.ok(cluster);
    const refused = new KubeConfig();
    refused.loadFromOptions({
      clusters: [{ name: "c", server: cluster.server, caData: cluster.caData }],
      users: [{ name: "u", token: "not-the-token" }],
      contexts: [{ name: "c", cluster: "c", user: "u" }],
      currentContext: "c",
    });
    const watched = follow(refused, "group=plain", new AbortController().signal);
    await assert.rejects(watched.done, (error: unknown) => {
      assert.ok(error instanceof WatchFailedError);
      assert.equal(error.statusCode, 401);
      assert.match(error.message, /^listing \/api\/v1\/namespaces\/default\/configmaps: HTTP 401/);
      return true;
    });
  });

  test("an aborted signal ends the watch", async () => {
    const stop = new AbortController();
    const watched = follow(kubeConfig, "group=plain", stop.signal);
    await watched.until(() => watched.changes.length > 0);
    stop.abort();
    await watched.done;
  });
});
