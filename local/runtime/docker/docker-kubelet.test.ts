// The kubelet (probes, back-off, status) driving real containers: what the Docker runtime is for.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { waitUntil } from "../../common/testing/wait-until.ts";
import { readAll } from "../../docker-engine/engine-client.ts";
import type { Pod } from "../../kube/api/kinds.ts";
import { resources } from "../../kube/api/resources.ts";
import { realClock } from "../../kube/clock/clock.ts";
import { Kubelet } from "../../kube/kubelet/kubelet.ts";
import { MemoryStore } from "../../kube/store/memory-store.ts";
import { PodNetwork } from "../../network/pod-network.ts";
import { DockerRuntime } from "./docker-runtime.ts";
import {
  buildTestBusyboxImage,
  buildTestPauseImage,
  startTestEngine,
  type TestEngine,
  testBusyboxImage,
  testPauseImage,
} from "./testing/test-engine.ts";

function httpBody(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: 5000 }, async (res) => resolve((await readAll(res)).toString("utf8"))).on(
      "error",
      reject,
    );
  });
}

describe("kubelet with the Docker runtime", { timeout: 300_000 }, () => {
  const stateDir = mkdtempSync(join(tmpdir(), "cjh-kubelet-docker-"));
  const store = new MemoryStore();
  let docker: TestEngine;
  let runtime: DockerRuntime;
  let kubelet: Kubelet;

  const pod = (name: string) => store.get(resources.pods, "default", name);
  const createPod = (name: string, containers: Pod["spec"]["containers"]) =>
    store.create(resources.pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, namespace: "default" },
      spec: { containers, terminationGracePeriodSeconds: 5 },
    });

  before(async () => {
    docker = await startTestEngine();
    await buildTestBusyboxImage(docker.engine);
    await buildTestPauseImage(docker.engine);
    const network = new PodNetwork({
      bridge: `cjk${process.pid % 100000}`,
      cidr: `10.252.${process.pid % 200}.0/24`,
      stateDir,
    });
    runtime = await DockerRuntime.start({
      socketPath: docker.socketPath,
      network,
      pauseImage: testPauseImage,
    });
    kubelet = new Kubelet({ store, clock: realClock, runtime });
    kubelet.start();
  });

  after(async () => {
    await kubelet?.stop();
    await runtime?.close();
    await docker?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("a pod becomes Ready through its real readiness probe and serves on status.podIP", async () => {
    createPod("web", [
      {
        name: "web",
        image: testBusyboxImage,
        command: ["sh", "-c", "mkdir -p /www && echo ok > /www/healthz && exec httpd -f -p 8080 -h /www"],
        ports: [{ name: "http", containerPort: 8080 }],
        readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 1 },
      },
    ]);
    const ready = await waitUntil(
      "the pod to be Ready",
      () => {
        const current = pod("web");
        return current?.status?.conditions?.find((c) => c.type === "Ready")?.status === "True"
          ? current
          : undefined;
      },
      { timeoutMs: 60_000, describe: () => pod("web")?.status },
    );
    const podIP = ready.status?.podIP ?? "";
    assert.match(podIP, /^10\.252\./);
    assert.match(ready.status?.containerStatuses?.[0]?.containerID ?? "", /^docker:\/\/[0-9a-f]{64}$/);
    assert.equal(await httpBody(`http://${podIP}:8080/healthz`), "ok\n");
  });

  test("a container that exits crash-loops past its fourth start, restartCount growing", async () => {
    createPod("crash", [
      { name: "app", image: testBusyboxImage, command: ["sh", "-c", "echo crashing; exit 1"] },
    ]);
    const backingOff = (restarts: number) => () => {
      const app = pod("crash")?.status?.containerStatuses?.[0];
      return app?.state?.waiting?.reason === "CrashLoopBackOff" && app.restartCount === restarts
        ? app
        : undefined;
    };
    const first = await waitUntil("CrashLoopBackOff after one restart", backingOff(1), {
      timeoutMs: 60_000,
      describe: () => pod("crash")?.status,
    });
    assert.equal(first.lastState?.terminated?.exitCode, 1);
    assert.equal(first.lastState?.terminated?.reason, "Error");
    assert.match(
      first.state?.waiting?.message ?? "",
      /^back-off 10s restarting failed container=app pod=crash_default\(/,
    );
    // The kubelet's back-off is real time here: 10 s, then 20 s before the fourth start.
    const fourth = await waitUntil("CrashLoopBackOff after the fourth start", backingOff(3), {
      timeoutMs: 90_000,
      describe: () => pod("crash")?.status,
    });
    assert.match(fourth.state?.waiting?.message ?? "", /^back-off 40s restarting failed container=app /);
    assert.equal(fourth.lastState?.terminated?.exitCode, 1);
    assert.notEqual(fourth.lastState?.terminated?.containerID, first.lastState?.terminated?.containerID);
    const current = store.get(resources.pods, "default", "crash");
    assert.ok(current);
    assert.equal(await kubelet.logs(current, { container: "app" }), "crashing\n");
  });

  test("an image that is not on the engine and names no local registry gives ErrImagePull without a pull", async () => {
    const image = `${testBusyboxImage.split(":")[0]}@sha256:${"1".repeat(64)}`;
    createPod("missing", [{ name: "app", image }]);
    const waiting = await waitUntil(
      "ErrImagePull",
      () => {
        const state = pod("missing")?.status?.containerStatuses?.[0]?.state?.waiting;
        return state?.reason === "ErrImagePull" ? state : undefined;
      },
      { timeoutMs: 60_000, describe: () => pod("missing")?.status },
    );
    assert.equal(
      waiting.message,
      `image ${image} is not on the engine and names no loopback registry (127.0.0.1:PORT/..., localhost:PORT/...): the platform pulls only from a local registry`,
    );
  });
});
