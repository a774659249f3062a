import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CoordinationV1Api, V1MicroTime } from "@kubernetes/client-node";
import { startTestCluster, type TestCluster } from "../testing/test-platform.ts";
import { acquireDeployLock, deployLockName } from "./deploy-lock.ts";

let cluster: TestCluster;
let api: CoordinationV1Api;
before(async () => {
  cluster = await startTestCluster([]);
  api = cluster.kubeConfig.makeApiClient(CoordinationV1Api);
});
after(async () => {
  await cluster?.close();
});

const options = (identity: string, namespace: string) => ({
  api,
  namespace,
  identity,
  leaseDurationSeconds: 3,
  waitMs: 0,
  pollMs: 50,
});

describe("deploy lock", () => {
  test("a second run waits, then is told who holds the lock since when", async () => {
    const first = await acquireDeployLock(options("run-1", "default"));
    assert.ok(first.acquired);
    const waited: string[] = [];
    const second = await acquireDeployLock({
      ...options("run-2", "default"),
      waitMs: 300,
      onWait: (holder) => waited.push(holder.identity),
    });
    assert.equal(second.acquired, false);
    assert.ok(!second.acquired);
    assert.equal(second.holder.identity, "run-1");
    assert.match(second.holder.since, /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(waited, ["run-1"]);
    await first.lock.release();
    const third = await acquireDeployLock(options("run-3", "default"));
    assert.ok(third.acquired, "a released lock is free at once");
    await third.lock.release();
  });

  test("a waiting run gets the lock as soon as it is released", async () => {
    const first = await acquireDeployLock(options("holder", "kube-public"));
    assert.ok(first.acquired);
    const waiting = acquireDeployLock({ ...options("waiter", "kube-public"), waitMs: 20_000 });
    setTimeout(() => void first.lock.release(), 200);
    const second = await waiting;
    assert.ok(second.acquired);
    assert.equal(second.takenOverFrom, undefined, "released, not taken over");
    await second.lock.release();
  });

  test("the holder renews past the lease duration; a second run cannot take it meanwhile", async () => {
    const namespace = "kube-node-lease";
    const holder = await acquireDeployLock({ ...options("renewing", namespace), leaseDurationSeconds: 1 });
    assert.ok(holder.acquired);
    const before = await api.readNamespacedLease({ name: deployLockName, namespace });
    const meanwhile = await acquireDeployLock({ ...options("impatient", namespace), waitMs: 2500 });
    assert.equal(meanwhile.acquired, false);
    const renewed = await api.readNamespacedLease({ name: deployLockName, namespace });
    assert.ok(new Date(renewed.spec?.renewTime ?? 0) > new Date(before.spec?.renewTime ?? 0));
    assert.equal(renewed.spec?.holderIdentity, "renewing");
    await holder.lock.release();
  });

  test("a lock left by a killed run (never renewed, never released) is taken over once it expired", async () => {
    const namespace = "kube-system";
    const time = new V1MicroTime(Date.now());
    await api.createNamespacedLease({
      namespace,
      body: {
        metadata: { name: deployLockName, namespace },
        spec: { holderIdentity: "killed-run", leaseDurationSeconds: 1, acquireTime: time, renewTime: time },
      },
    });
    const next = await acquireDeployLock({ ...options("next", namespace), waitMs: 10_000 });
    assert.ok(next.acquired);
    assert.equal(next.takenOverFrom?.identity, "killed-run");
    const lease = await api.readNamespacedLease({ name: deployLockName, namespace });
    assert.equal(lease.spec?.holderIdentity, "next");
    assert.equal(lease.spec?.leaseTransitions, 1);
    await next.lock.release();
  });

  test("two runs racing for a free lock: exactly one gets it", async () => {
    const namespace = "default";
    const [a, b] = await Promise.all([
      acquireDeployLock(options("racer-a", namespace)),
      acquireDeployLock(options("racer-b", namespace)),
    ]);
    assert.equal([a, b].filter((attempt) => attempt.acquired).length, 1);
    for (const attempt of [a, b]) if (attempt.acquired) await attempt.lock.release();
  });
});
