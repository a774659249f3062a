// `kubectl logs` against the daemon `npm run platform -- up` starts (both runtimes): the kubelet serves
// the logs of running, crash-looping and waiting containers, with the kubelet's messages.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { platformDaemonFixture } from "./testing/platform-cli.ts";

function podManifest(name: string, container: Record<string, unknown>, annotations = {}): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", annotations },
    spec: { terminationGracePeriodSeconds: 1, containers: [{ name: "app", ...container }] },
  });
}

const restartedAtLeastOnce = (pod: V1Pod) => (pod.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1;
const running = (pod: V1Pod) => pod.status?.containerStatuses?.[0]?.state?.running !== undefined;

describe("kubectl logs through the daemon, simulated runtime", { timeout: 300_000 }, () => {
  const { kubectl, podUntil } = platformDaemonFixture("cjh-logs-sim-", []);

  test("a running container's log; --previous without a restart gives the kubelet's message", async () => {
    assert.equal((await kubectl(["apply", "-f", "-"], podManifest("web", { image: "app:1" }))).code, 0);
    await podUntil("web", "running", running);
    const logs = await kubectl(["logs", "web"]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, "simulated container app started\n");
    const previous = await kubectl(["logs", "web", "--previous"]);
    assert.equal(previous.code, 1);
    assert.equal(
      previous.stderr.trim(),
      'Error from server (BadRequest): previous terminated container "app" in pod "web" not found',
    );
  });

  test("a crash-looping container: the last instance's log, also with --previous and --tail", async () => {
    const manifest = podManifest(
      "crash",
      { image: "app:1" },
      { "sim.cloudjobhunt.dev/crash-exit-code": "3" },
    );
    assert.equal((await kubectl(["apply", "-f", "-"], manifest)).code, 0);
    await podUntil("crash", "a restart", restartedAtLeastOnce);
    const expected = "simulated container app started\nsimulated container app exited with code 3\n";
    for (const args of [[], ["--previous"]]) {
      const logs = await kubectl(["logs", "crash", ...args]);
      assert.equal(logs.code, 0, logs.stderr);
      assert.equal(logs.stdout, expected);
    }
    const tail = await kubectl(["logs", "crash", "--tail=1"]);
    assert.equal(tail.stdout, "simulated container app exited with code 3\n");
  });

  test("a container waiting on its configuration: the kubelet's message", async () => {
    const manifest = podManifest("config", {
      image: "app:1",
      env: [{ name: "X", valueFrom: { configMapKeyRef: { name: "missing", key: "x" } } }],
    });
    assert.equal((await kubectl(["apply", "-f", "-"], manifest)).code, 0);
    await podUntil(
      "config",
      "CreateContainerConfigError",
      (pod) => pod.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CreateContainerConfigError",
    );
    const logs = await kubectl(["logs", "config"]);
    assert.equal(logs.code, 1);
    assert.equal(
      logs.stderr.trim(),
      'Error from server (BadRequest): container "app" in pod "config" is waiting to start: CreateContainerConfigError',
    );
  });
});

describe("kubectl logs through the daemon, Docker runtime", { timeout: 600_000 }, () => {
  const { kubectl, podUntil } = platformDaemonFixture("cjh-logs-docker-", [
    "--runtime",
    "docker",
    "--pod-bridge",
    `cjl${process.pid % 100000}`,
    "--pod-cidr",
    `10.247.${process.pid % 200}.0/24`,
  ]);
  // The pause image (busybox) is on every platform engine: no registry needed.
  const image = "cloudjobhunt/pause:1";

  test("a running container's output", async () => {
    const manifest = podManifest("web", {
      image,
      command: ["sh", "-c", "echo hello from web; exec sleep 3600"],
    });
    assert.equal((await kubectl(["apply", "-f", "-"], manifest)).code, 0);
    await podUntil("web", "running", running);
    const logs = await kubectl(["logs", "web"]);
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, "hello from web\n");
  });

  test("a crash-looping container: the log of the instance that crashed, also with --previous", async () => {
    const manifest = podManifest("crash", { image, command: ["sh", "-c", "echo crashing now; exit 3"] });
    assert.equal((await kubectl(["apply", "-f", "-"], manifest)).code, 0);
    await podUntil("crash", "a restart", restartedAtLeastOnce);
    for (const args of [[], ["--previous"]]) {
      const logs = await kubectl(["logs", "crash", ...args]);
      assert.equal(logs.code, 0, logs.stderr);
      assert.equal(logs.stdout, "crashing now\n");
    }
  });
});
