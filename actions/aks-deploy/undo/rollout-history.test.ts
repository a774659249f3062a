// rollout history: the pure reading of ReplicaSets, then the revisions of a Deployment on the local platform
// after three releases and an undo (revision 2's ReplicaSet becomes revision 4, as kubectl shows it).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { AppsV1Api, type V1ReplicaSet } from "@kubernetes/client-node";
import { signalThresholds } from "../wait/pod-signals.ts";
import {
  deployment,
  namespace,
  pinned,
  type RolloutCluster,
  startRolloutCluster,
} from "../wait/testing/rollout-cluster.ts";
import { waitForRollout } from "../wait/wait-for-rollout.ts";
import { revisionsOf, rolloutHistory } from "./rollout-history.ts";
import { undoRollout } from "./undo.ts";

function replicaSet(name: string, revision: string | undefined, cause?: string): V1ReplicaSet {
  return {
    metadata: {
      name,
      uid: `${name}-uid`,
      labels: { "pod-template-hash": `${name}-hash` },
      annotations: {
        ...(revision === undefined ? {} : { "deployment.kubernetes.io/revision": revision }),
        ...(cause === undefined ? {} : { "kubernetes.io/change-cause": cause }),
      },
    },
    spec: {
      replicas: revision === "3" ? 2 : 0,
      selector: {},
      template: {
        spec: {
          initContainers: [{ name: "migrate", image: "m:1" }],
          containers: [{ name: "web", image: `${name}:1` }],
        },
      },
    },
  };
}

test("revisionsOf: sorted by revision, unparsable skipped, missing annotation is 0, a later duplicate wins", () => {
  const history = revisionsOf([
    replicaSet("c", "3", "third"),
    replicaSet("a", "1", "first"),
    replicaSet("bad", "x"),
    replicaSet("none", undefined),
    replicaSet("a-again", "1"),
  ]);
  assert.deepEqual(
    history.map((entry) => [entry.revision, entry.replicaSetName]),
    [
      [0, "none"],
      [1, "a-again"],
      [3, "c"],
    ],
  );
  assert.deepEqual(history[2], {
    revision: 3,
    replicaSetName: "c",
    replicaSetUid: "c-uid",
    podTemplateHash: "c-hash",
    images: [
      { container: "migrate", image: "m:1" },
      { container: "web", image: "c:1" },
    ],
    changeCause: "third",
    replicas: 2,
  });
  assert.equal(history[1]?.changeCause, undefined);
});

let cluster: RolloutCluster;
before(async () => {
  cluster = await startRolloutCluster(["web:1", "web:2", "web:3"]);
});
after(async () => {
  await cluster?.close();
});

test("rolloutHistory on the local platform: releases, change-causes, and an undo renumbering", {
  timeout: 120_000,
}, async () => {
  const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
  const wait = () =>
    waitForRollout({
      kubeConfig: cluster.kubeConfig,
      namespace,
      name: "api",
      timeoutMs: 60_000,
      thresholds: signalThresholds(),
      signal: new AbortController().signal,
      clock: cluster.clock,
    });
  for (const [tag, cause] of [
    ["web:1", "release one"],
    ["web:2", "release two"],
    ["web:3", "release three"],
  ] as const) {
    await cluster.apply(deployment("api", { image: pinned(tag), replicas: 1, changeCause: cause }));
    assert.equal((await wait()).status, "complete");
  }
  await undoRollout(apps, { namespace, name: "api" });
  assert.equal((await wait()).status, "complete");
  const history = await rolloutHistory(apps, namespace, "api");
  assert.deepEqual(
    history.map((entry) => [entry.revision, entry.changeCause, entry.images[0]?.image, entry.replicas]),
    [
      [1, "release one", pinned("web:1"), 0],
      [3, "release three", pinned("web:3"), 0],
      [4, "release two", pinned("web:2"), 1],
    ],
  );
  for (const entry of history) {
    assert.match(entry.replicaSetName, /^api-[a-z0-9]+$/);
    assert.equal(entry.replicaSetName, `api-${entry.podTemplateHash}`);
    assert.ok(entry.replicaSetUid);
  }
  await assert.rejects(rolloutHistory(apps, namespace, "ghost"), { code: 404 });
});
