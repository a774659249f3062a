// Fidelity: the real kubectl binary against the platform, rules 1-3 of the rollout spec.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { V1Deployment, V1ReplicaSet } from "@kubernetes/client-node";
import { waitUntil } from "../../common/testing/wait-until.ts";
import type { Deployment } from "../api/kinds.ts";
import { resources } from "../api/resources.ts";
import { deployment, type KubectlStream, startTestPlatform, type TestPlatform, yamlOf } from "./fixture.ts";

let t: TestPlatform;
before(async () => {
  t = await startTestPlatform();
});
after(async () => {
  await t?.close();
});

async function ok(args: string[], input?: string): Promise<string> {
  const result = await t.kubectl(args, input);
  assert.equal(result.code, 0, `kubectl ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

async function getJson<T>(args: string[]): Promise<T> {
  return JSON.parse(await ok([...args, "-o", "json"])) as T;
}

const revisionOf = (object: { metadata?: { annotations?: Record<string, string> } }) =>
  object.metadata?.annotations?.["deployment.kubernetes.io/revision"];

async function replicaSets(app: string): Promise<V1ReplicaSet[]> {
  return (await getJson<{ items: V1ReplicaSet[] }>(["get", "replicasets", "-l", `app=${app}`])).items;
}

async function rolloutStatus(name: string) {
  return t.kubectl(["rollout", "status", `deployment/${name}`, "--timeout=60s"]);
}

describe("kubectl against the platform", () => {
  test("apply --server-side, rollout status success, get -o json with revision 1 (rules 1.3, 3.2)", async () => {
    const applied = await ok(["apply", "--server-side", "-f", "-"], yamlOf(deployment("web")));
    assert.equal(applied.trim(), "deployment.apps/web serverside-applied");
    const status = await rolloutStatus("web");
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /deployment "web" successfully rolled out\n$/);
    const d = await getJson<V1Deployment>(["get", "deployment", "web"]);
    assert.equal(revisionOf(d), "1");
    assert.deepEqual([d.status?.updatedReplicas, d.status?.availableReplicas], [3, 3]);
  });

  test("a new Deployment's pods all created at once: kubectl waits on their availability; no history to undo (rules 1.3.5, 2.2)", async () => {
    const allUpdatedNotAvailable =
      /^Waiting for deployment "fresh" rollout to finish: [0-2] of 3 updated replicas are available\.\.\.$/m;
    // No pod turns ready (its probe timers held) until kubectl, however late it starts, has seen them all
    // created and not yet available.
    const release = t.holdTimers();
    let waiting: KubectlStream;
    try {
      await ok(["apply", "--server-side", "-f", "-"], yamlOf(deployment("fresh", { readyAfterMs: 20_000 })));
      waiting = t.kubectlStream(["rollout", "status", "deployment/fresh", "--timeout=60s"]);
      await waiting.until((out) => allUpdatedNotAvailable.test(out));
    } finally {
      release();
    }
    const status = await waiting.done;
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, allUpdatedNotAvailable);
    // A single revision: nothing to undo to (docs/rollout-semantics.md 2.2).
    const undo = await t.kubectl(["rollout", "undo", "deployment/fresh"]);
    assert.equal(undo.code, 1);
    assert.equal(undo.stderr.trim(), 'error: no rollout history found for deployment "fresh"');
    await ok(["delete", "deployment", "fresh"]);
  });

  test("rollout history lists revisions 1, 2, 3 after two updates", async () => {
    for (const image of ["web:2", "web:3"]) {
      // Pods ready after 20 s of platform time (1 s real): slow enough to see kubectl wait.
      await ok(
        ["apply", "--server-side", "-f", "-"],
        yamlOf(deployment("web", { image, readyAfterMs: 20_000 })),
      );
      const status = await rolloutStatus("web");
      assert.equal(status.code, 0, status.stderr);
      // Pods ready 1 s apart (real time): kubectl sees the new replicas counted, then the last old one going.
      assert.match(
        status.stdout,
        /^Waiting for deployment "web" rollout to finish: [12] out of 3 new replicas have been updated\.\.\.$/m,
      );
      assert.match(
        status.stdout,
        /^Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination\.\.\.$/m,
      );
      assert.match(status.stdout, /deployment "web" successfully rolled out\n$/);
    }
    const history = await ok(["rollout", "history", "deployment/web"]);
    assert.deepEqual(
      history
        .trim()
        .split("\n")
        .slice(2)
        .map((line) => line.trim()),
      ["1         <none>", "2         <none>", "3         <none>"],
    );
  });

  test("rollout undo --to-revision=2: the same ReplicaSet becomes revision 4 with revision-history 2 (rules 2.2-2.5, 3.3)", async () => {
    const before = await replicaSets("web");
    const two = before.find((rs) => revisionOf(rs) === "2");
    assert.ok(two);
    assert.equal(
      (await ok(["rollout", "undo", "deployment/web", "--to-revision=2"])).trim(),
      "deployment.apps/web rolled back",
    );
    const status = await rolloutStatus("web");
    assert.equal(status.code, 0, status.stderr);
    const after = await replicaSets("web");
    assert.equal(after.length, before.length, "undo creates no ReplicaSet");
    const reused = after.find((rs) => rs.metadata?.uid === two.metadata?.uid);
    assert.equal(revisionOf(reused ?? {}), "4");
    assert.equal(reused?.metadata?.annotations?.["deployment.kubernetes.io/revision-history"], "2");
    assert.equal(reused?.spec?.replicas, 3);
    assert.equal(revisionOf(await getJson<V1Deployment>(["get", "deployment", "web"])), "4");
    const history = await ok(["rollout", "history", "deployment/web"]);
    assert.deepEqual(
      history
        .trim()
        .split("\n")
        .slice(2)
        .map((line) => line.trim().split(/\s+/)[0]),
      ["1", "3", "4"],
    );
  });

  test("rollout undo (to the previous revision): revision 3's ReplicaSet becomes 5", async () => {
    const three = (await replicaSets("web")).find((rs) => revisionOf(rs) === "3");
    assert.equal((await ok(["rollout", "undo", "deployment/web"])).trim(), "deployment.apps/web rolled back");
    assert.equal((await rolloutStatus("web")).code, 0);
    const reused = (await replicaSets("web")).find((rs) => rs.metadata?.uid === three?.metadata?.uid);
    assert.equal(revisionOf(reused ?? {}), "5");
    assert.equal(reused?.metadata?.annotations?.["deployment.kubernetes.io/revision-history"], "3");
  });

  test("rollout undo to a revision not in history fails with kubectl's message", async () => {
    const result = await t.kubectl(["rollout", "undo", "deployment/web", "--to-revision=9"]);
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), "error: unable to find specified revision 9 in history");
  });

  test("undo to the current template is skipped with kubectl's message", async () => {
    const result = await t.kubectl(["rollout", "undo", "deployment/web", "--to-revision=5"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout.trim(),
      "deployment.apps/web skipped rollback (current template already matches revision 5)",
    );
  });

  test("scale: the ReplicaSet grows, rollout status succeeds, 5 available", async () => {
    assert.equal(
      (await ok(["scale", "deployment/web", "--replicas=5"])).trim(),
      "deployment.apps/web scaled",
    );
    assert.equal((await rolloutStatus("web")).code, 0);
    const d = await getJson<V1Deployment>(["get", "deployment", "web"]);
    assert.deepEqual([d.spec?.replicas, d.status?.availableReplicas, d.status?.updatedReplicas], [5, 5, 5]);
  });

  test("get -w prints the Deployment's changes as they happen", async () => {
    const watching = t.kubectlStream([
      "get",
      "deployment",
      "web",
      "-w",
      "--output-watch-events",
      "-o",
      "json",
    ]);
    await watching.until((out) => /"type":\s*"ADDED"/.test(out));
    await ok(["scale", "deployment/web", "--replicas=2"]);
    await watching.until((out) => /"type":\s*"MODIFIED"/.test(out) && /"replicas":\s*2\b/.test(out));
    watching.stop();
    const result = await watching.done;
    const events = result.stdout
      .split(/\n(?=\{)/)
      .map((chunk) => JSON.parse(chunk) as { type: string; object: V1Deployment });
    assert.equal(events[0]?.type, "ADDED");
    assert.ok(events.some((event) => event.type === "MODIFIED" && event.object.spec?.replicas === 2));
  });

  test("a rollout that cannot progress: rollout status fails with the exact deadline message (rules 1.3.2, 3.7)", async () => {
    await ok(
      ["apply", "--server-side", "-f", "-"],
      yamlOf(deployment("stuck", { replicas: 2, neverReady: true, progressDeadlineSeconds: 10 })),
    );
    const result = await rolloutStatus("stuck");
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), 'error: deployment "stuck" exceeded its progress deadline');
    const d = await getJson<V1Deployment>(["get", "deployment", "stuck"]);
    const progressing = d.status?.conditions?.find((c) => c.type === "Progressing");
    assert.equal(progressing?.reason, "ProgressDeadlineExceeded");
    assert.match(progressing?.message ?? "", /^ReplicaSet "stuck-[a-z0-9]+" has timed out progressing\.$/);
  });

  test("rollout status --revision compares to the Deployment's revision (docs/rollout-semantics.md 1.2)", async () => {
    const result = await t.kubectl(["rollout", "status", "deployment/web", "--revision=2", "--timeout=10s"]);
    assert.equal(result.code, 1);
    assert.equal(
      result.stderr.trim(),
      "error: desired revision (2) is different from the running revision (5)",
    );
  });

  test("undo after ProgressDeadlineExceeded keeps the condition until progress is seen (docs/rollout-semantics.md 3.10)", async () => {
    const base = { replicas: 2, maxSurge: 0, maxUnavailable: 1, progressDeadlineSeconds: 10 };
    await ok(["apply", "--server-side", "-f", "-"], yamlOf(deployment("recover", base)));
    assert.equal((await rolloutStatus("recover")).code, 0);
    await ok(
      ["apply", "--server-side", "-f", "-"],
      yamlOf(deployment("recover", { ...base, neverReady: true })),
    );
    assert.match((await rolloutStatus("recover")).stderr, /exceeded its progress deadline/);
    // Record every version of the Deployment the API serves from now on.
    const seen: Deployment[] = [];
    const stop = t.platform.store.watch(resources.deployments, { namespace: "default" }, ({ object }) => {
      if (object.metadata.name === "recover") seen.push(object);
    });
    await ok(["rollout", "undo", "deployment/recover"]);
    const firstObserved = await waitUntil("the undo observed", () =>
      seen.find(
        (d) =>
          d.status?.observedGeneration === d.metadata?.generation &&
          d.metadata?.annotations?.["deployment.kubernetes.io/revision"] === "3",
      ),
    );
    const condition = firstObserved.status?.conditions?.find((c) => c.type === "Progressing");
    // What a kubectl-identical wait evaluates first: still ProgressDeadlineExceeded, i.e. an immediate failure.
    assert.equal(condition?.reason, "ProgressDeadlineExceeded");
    const status = await rolloutStatus("recover");
    stop();
    assert.equal(status.code, 0, status.stderr);
    const d = await getJson<V1Deployment>(["get", "deployment", "recover"]);
    assert.equal(
      d.status?.conditions?.find((c) => c.type === "Progressing")?.reason,
      "NewReplicaSetAvailable",
    );
  });

  test("undo with --dry-run=server changes nothing (docs/rollout-semantics.md 2.3)", async () => {
    const before = await getJson<V1Deployment>(["get", "deployment", "web"]);
    const result = await t.kubectl([
      "rollout",
      "undo",
      "deployment/web",
      "--to-revision=1",
      "--dry-run=server",
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim(), "deployment.apps/web rolled back (server dry run)");
    const after = await getJson<V1Deployment>(["get", "deployment", "web"]);
    assert.deepEqual(after.spec?.template, before.spec?.template);
    assert.equal(after.metadata?.generation, before.metadata?.generation);
  });

  test("paused: rollout status waits on the new replicas, undo is refused (rules 1.3.3, 1.4, 2.3, 3.1)", async () => {
    assert.equal((await ok(["rollout", "pause", "deployment/web"])).trim(), "deployment.apps/web paused");
    await ok(["set", "image", "deployment/web", "web=web:1"]);
    const waiting = await t.kubectl(["rollout", "status", "deployment/web", "--timeout=2s"]);
    assert.equal(waiting.code, 1);
    assert.match(
      waiting.stdout,
      /^Waiting for deployment "web" rollout to finish: 0 out of 2 new replicas have been updated\.\.\.$/m,
    );
    assert.equal(waiting.stderr.trim(), "error: timed out waiting for the condition");
    const undo = await t.kubectl(["rollout", "undo", "deployment/web"]);
    assert.equal(undo.code, 1);
    assert.equal(
      undo.stderr.trim(),
      "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
    );
    const d = await getJson<V1Deployment>(["get", "deployment", "web"]);
    assert.equal(d.status?.conditions?.find((c) => c.type === "Progressing")?.reason, "DeploymentPaused");
    assert.equal((await ok(["rollout", "resume", "deployment/web"])).trim(), "deployment.apps/web resumed");
    const status = await rolloutStatus("web");
    assert.equal(status.code, 0, status.stderr);
  });

  test("a Deployment deleted while rollout status waits: object has been deleted (docs/rollout-semantics.md 1.1)", async () => {
    await ok(
      ["apply", "--server-side", "-f", "-"],
      yamlOf(deployment("doomed", { replicas: 1, neverReady: true })),
    );
    const waiting = t.kubectlStream(["rollout", "status", "deployment/doomed", "--timeout=60s"]);
    await waiting.until((out) => out.includes('Waiting for deployment "doomed" rollout to finish'));
    await ok(["delete", "deployment", "doomed", "--wait=false"]);
    const result = await waiting.done;
    assert.equal(result.code, 1);
    assert.equal(result.stderr.trim(), "error: object has been deleted");
  });

  test("delete: the Deployment, its ReplicaSets and pods go", async () => {
    assert.equal((await ok(["delete", "deployment", "stuck"])).trim(), 'deployment.apps "stuck" deleted');
    await waitUntil(
      "pods gone",
      () =>
        t.platform.store.list(
          { group: "", version: "v1", resource: "pods" },
          { namespace: "default", matchLabels: { app: "stuck" } },
        ).items.length === 0,
    );
    assert.deepEqual(await replicaSets("stuck"), []);
  });
});
