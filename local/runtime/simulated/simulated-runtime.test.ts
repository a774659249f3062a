import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { scaledClock } from "../../kube/clock/clock.ts";
import { ImagePullError } from "../../kube/kubelet/pod-runtime.ts";
import { simAnnotation } from "./script.ts";
import { SimulatedRuntime } from "./simulated-runtime.ts";

const clock = scaledClock(100);

function pod(annotations: Record<string, string> = {}) {
  return { namespace: "default", name: "web-1", uid: `uid-${Math.random()}`, annotations };
}

async function started(annotations: Record<string, string>, readinessProbe = true) {
  const runtime = new SimulatedRuntime({ clock, registry: ["app:1"] });
  const identity = pod(annotations);
  const sandbox = await runtime.runSandbox(identity);
  const container = await runtime.startContainer(identity, sandbox, {
    spec: {
      name: "app",
      image: "app:1",
      ...(readinessProbe ? { readinessProbe: { tcpSocket: { port: 80 } } } : {}),
    },
    env: {},
  });
  return { runtime, container, sandbox };
}

describe("simulated runtime", () => {
  test("pulls known images with a stable digest and refuses unknown ones with containerd's message", async () => {
    const runtime = new SimulatedRuntime({ clock, registry: ["app:1"] });
    const { imageID } = await runtime.pullImage(pod(), "app:1");
    assert.match(imageID, /^docker-pullable:\/\/app@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(await runtime.pullImage(pod(), `app@${imageID.split("@")[1]}`), { imageID });
    await assert.rejects(runtime.pullImage(pod(), "app:missing"), (error: unknown) => {
      assert.ok(error instanceof ImagePullError);
      assert.equal(
        error.message,
        'rpc error: code = NotFound desc = failed to pull and unpack image "app:missing": failed to resolve reference "app:missing": app:missing: not found',
      );
      return true;
    });
  });

  test("a digest reference's imageID carries that digest, in the Docker runtime's shape", async () => {
    const runtime = new SimulatedRuntime({ clock, registry: "any" });
    const digest = `sha256:${"ab".repeat(32)}`;
    for (const image of [
      `127.0.0.1:5443/cloudjobhunt/api@${digest}`,
      `127.0.0.1:5443/cloudjobhunt/api:v2@${digest}`,
    ]) {
      assert.deepEqual(await runtime.pullImage(pod(), image), {
        imageID: `docker-pullable://127.0.0.1:5443/cloudjobhunt/api@${digest}`,
      });
    }
    const tagged = await runtime.pullImage(pod(), "127.0.0.1:5443/cloudjobhunt/api:v2");
    assert.match(
      tagged.imageID,
      /^docker-pullable:\/\/127\.0\.0\.1:5443\/cloudjobhunt\/api@sha256:[0-9a-f]{64}$/,
    );
  });

  test("each sandbox gets its own pod address", async () => {
    const runtime = new SimulatedRuntime({ clock });
    const a = await runtime.runSandbox(pod());
    const b = await runtime.runSandbox(pod());
    assert.match(a.podIP, /^10\.244\.\d+\.\d+$/);
    assert.notEqual(a.podIP, b.podIP);
  });

  test("readiness passes once ready-after-ms has elapsed since the start", async () => {
    const { container } = await started({ [simAnnotation.readyAfterMs]: "1000" });
    assert.equal(await container.probe({}, "readiness"), false);
    await new Promise((resolve) => setTimeout(resolve, 15));
    assert.equal(await container.probe({}, "readiness"), true);
  });

  test("without a readiness probe, ready-after-ms delays the start itself", async () => {
    const before = clock.now().getTime();
    const { container } = await started({ [simAnnotation.readyAfterMs]: "1000" }, false);
    assert.ok(container.startedAt.getTime() - before >= 1000);
  });

  test("never-ready fails readiness but not liveness", async () => {
    const { container } = await started({ [simAnnotation.neverReady]: "true" });
    assert.equal(await container.probe({}, "readiness"), false);
    assert.equal(await container.probe({}, "liveness"), true);
  });

  test("crash-exit-code ends each run with that code; oom-after-ms with 137 OOMKilled", async () => {
    const crash = await started({ [simAnnotation.crashExitCode]: "3", [simAnnotation.crashAfterMs]: "500" });
    const crashed = await crash.container.exited;
    assert.equal(crashed.exitCode, 3);
    assert.equal(crashed.reason, "Error");
    assert.ok(crashed.finishedAt.getTime() - crashed.startedAt.getTime() >= 500);
    const oom = await started({ [simAnnotation.oomAfterMs]: "100" });
    assert.deepEqual(
      { ...(await oom.container.exited), startedAt: undefined, finishedAt: undefined },
      {
        exitCode: 137,
        reason: "OOMKilled",
        startedAt: undefined,
        finishedAt: undefined,
      },
    );
  });

  test("stop: a quick shutdown exits 0; one longer than the grace period is killed with 137", async () => {
    const quick = await started({});
    await quick.container.stop(30);
    assert.equal((await quick.container.exited).exitCode, 0);
    const slow = await started({ [simAnnotation.shutdownMs]: "5000" });
    await slow.container.stop(1);
    const exit = await slow.container.exited;
    assert.deepEqual([exit.exitCode, exit.reason, exit.signal], [137, "Error", 9]);
  });

  test("a malformed script annotation is refused with the annotation named", async () => {
    await assert.rejects(
      started({ [simAnnotation.crashAfterMs]: "soon" }),
      /annotation sim\.cloudjobhunt\.dev\/crash-after-ms: "soon" is not a number of milliseconds/,
    );
  });
});
