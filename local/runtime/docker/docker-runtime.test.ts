import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { V1Container } from "@kubernetes/client-node";
import { waitUntil } from "../../common/testing/wait-until.ts";
import { readAll } from "../../docker-engine/engine-client.ts";
import { ImagePullError, type PodIdentity } from "../../kube/kubelet/pod-runtime.ts";
import { ip } from "../../network/ip-command.ts";
import { PodNetwork } from "../../network/pod-network.ts";
import { ContainerConfigError } from "./container-config.ts";
import { DockerRuntime } from "./docker-runtime.ts";
import { label, labelFilter } from "./labels.ts";
import {
  buildTestBusyboxImage,
  buildTestPauseImage,
  pushImage,
  startTestEngine,
  type TestEngine,
  testBusyboxImage,
  testPauseImage,
} from "./testing/test-engine.ts";
import { startTestRegistry, type TestRegistry } from "./testing/test-registry.ts";

function newPod(name: string): PodIdentity {
  return { namespace: "default", name, uid: randomUUID(), annotations: {} };
}

function httpBody(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { timeout: 5000 }, async (res) => resolve((await readAll(res)).toString("utf8"))).on(
      "error",
      reject,
    );
  });
}

const httpServer: V1Container = {
  name: "web",
  image: testBusyboxImage,
  command: [
    "sh",
    "-c",
    'mkdir -p /www && echo "hello $GREETING" > /www/index.html && echo "serving on 8080" && exec httpd -f -p 8080 -h /www',
  ],
  ports: [{ name: "http", containerPort: 8080 }],
  resources: { limits: { memory: "64Mi", cpu: "250m" } },
};

describe("DockerRuntime on a real engine", { timeout: 240_000 }, () => {
  let docker: TestEngine;
  let registry: TestRegistry;
  let runtime: DockerRuntime;
  let pushedDigest: string;
  const stateDir = mkdtempSync(join(tmpdir(), "cjh-runtime-"));

  before(async () => {
    [docker, registry] = await Promise.all([startTestEngine(), startTestRegistry()]);
    await buildTestBusyboxImage(docker.engine);
    await buildTestPauseImage(docker.engine);
    // Publish the busybox image to the registry, so pulls go through the registry's real answers.
    const repository = `${registry.host}/test/busybox`;
    await docker.engine.json("POST", `/images/${testBusyboxImage}/tag`, {
      query: { repo: repository, tag: "1" },
    });
    pushedDigest = await pushImage(docker.engine, repository, "1");
    await docker.engine.json("DELETE", `/images/${repository}:1`);

    const network = new PodNetwork({
      bridge: `cjr${process.pid % 100000}`,
      cidr: `10.251.${process.pid % 200}.0/24`,
      stateDir,
    });
    runtime = await DockerRuntime.start({
      socketPath: docker.socketPath,
      network,
      pauseImage: testPauseImage,
    });
  });

  after(async () => {
    await runtime?.close();
    await Promise.all([docker?.stop(), registry?.stop()]);
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("a pod reaches Ready through a real HTTP readiness probe and answers on its own address", async () => {
    const pod = newPod("web");
    const sandbox = await runtime.runSandbox(pod);
    assert.match(sandbox.podIP, /^10\.251\.\d+\.\d+$/);
    const container = await runtime.startContainer(pod, sandbox, {
      spec: httpServer,
      env: { GREETING: "pod" },
    });
    assert.match(container.imageID, /^docker:\/\/sha256:[0-9a-f]{64}$/);
    const probe = { httpGet: { path: "/index.html", port: "http" }, timeoutSeconds: 1 };
    await waitUntil("readiness", async () => ((await container.probe(probe)) ? true : undefined));
    assert.equal(await container.probe({ tcpSocket: { port: 8080 }, timeoutSeconds: 1 }), true);
    assert.equal(await container.probe({ tcpSocket: { port: 8081 }, timeoutSeconds: 1 }), false);
    assert.equal(await container.probe({ tcpSocket: { port: "no-such-port" }, timeoutSeconds: 1 }), false);
    assert.equal(
      await container.probe({ httpGet: { path: "/missing", port: 8080 }, timeoutSeconds: 1 }),
      false,
    );
    assert.equal(await container.probe({ exec: { command: ["test", "-f", "/www/index.html"] } }), true);
    assert.equal(await container.probe({ exec: { command: ["test", "-f", "/nope"] } }), false);
    assert.equal(await httpBody(`http://${sandbox.podIP}:8080/index.html`), "hello pod\n");
    assert.equal(await container.logs(), "serving on 8080\n");

    const inspect = (await docker.engine.json("GET", `/containers/${container.containerID}/json`)) as {
      HostConfig: { Memory: number; NanoCpus: number; Init: boolean };
    };
    assert.equal(inspect.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal(inspect.HostConfig.NanoCpus, 250_000_000);
    assert.equal(inspect.HostConfig.Init, true);

    await runtime.removeSandbox(pod);
    await container.exited;
    await assert.rejects(httpBody(`http://${sandbox.podIP}:8080/index.html`));
  });

  test("a container needs its pod's sandbox and its image on the engine", async () => {
    const pod = newPod("nosandbox");
    await assert.rejects(
      runtime.startContainer(pod, { podIP: "10.0.0.1" }, { spec: httpServer, env: {} }),
      /^Error: pod default\/nosandbox has no sandbox on this runtime$/,
    );
    const sandbox = await runtime.runSandbox(pod);
    await assert.rejects(
      runtime.startContainer(pod, sandbox, { spec: { name: "app", image: "cjh-test/absent:1" }, env: {} }),
      /^Error: image cjh-test\/absent:1 is not on the engine: pull it first$/,
    );
    await runtime.removeSandbox(pod);
  });

  test("a container that exits reports its exit; its restart keeps the previous instance's logs", async () => {
    const pod = newPod("crash");
    const sandbox = await runtime.runSandbox(pod);
    const spec: V1Container = {
      name: "app",
      image: testBusyboxImage,
      command: ["sh", "-c", "echo run $RUN; exit 3"],
    };
    const first = await runtime.startContainer(pod, sandbox, { spec, env: { RUN: "one" } });
    const exit = await first.exited;
    assert.equal(exit.exitCode, 3);
    assert.equal(exit.reason, "Error");
    // The engine stamps a very short run's end before its start at times: only the start is compared.
    assert.equal(exit.startedAt.getTime(), first.startedAt.getTime());
    assert.ok(!Number.isNaN(exit.finishedAt.getTime()));
    const second = await runtime.startContainer(pod, sandbox, { spec, env: { RUN: "two" } });
    await second.exited;
    assert.equal(await second.logs(), "run two\n");
    assert.equal(await second.logs({ previous: true }), "run one\n");
    await runtime.removeSandbox(pod);
  });

  test("a container restarted five times gets a new name each time and keeps only two instances", async () => {
    const pod = newPod("loop");
    const sandbox = await runtime.runSandbox(pod);
    const spec: V1Container = {
      name: "app",
      image: testBusyboxImage,
      command: ["sh", "-c", "echo run $RUN; exit 3"],
    };
    for (const run of [1, 2, 3, 4, 5]) {
      const instance = await runtime.startContainer(pod, sandbox, { spec, env: { RUN: String(run) } });
      assert.equal((await instance.exited).exitCode, 3);
      assert.equal(await instance.logs(), `run ${run}\n`);
      if (run > 1) assert.equal(await instance.logs({ previous: true }), `run ${run - 1}\n`);
    }
    const left = (await docker.engine.json("GET", "/containers/json", {
      query: { all: 1, filters: labelFilter({ [label.podUid]: pod.uid, [label.role]: "app" }) },
    })) as { Names: string[] }[];
    assert.deepEqual(
      left.map((container) => container.Names[0]?.replace(/^.*_/, "")).sort(),
      ["3", "4"],
      "the last two instances, named by attempt (0-based)",
    );
    await runtime.removeSandbox(pod);
  });

  test("termination runs preStop, then SIGTERM; SIGKILL only after the grace period", async () => {
    const pod = newPod("graceful");
    const sandbox = await runtime.runSandbox(pod);
    const spec: V1Container = {
      name: "app",
      image: testBusyboxImage,
      command: [
        "sh",
        "-c",
        "trap 'echo got TERM; exit 0' TERM; echo started; while :; do sleep 1 & wait; done",
      ],
      // With --init the app is not PID 1: the hook writes where the app's output goes.
      lifecycle: { preStop: { exec: { command: ["sh", "-c", "echo preStop ran > /proc/1/fd/1"] } } },
    };
    const container = await runtime.startContainer(pod, sandbox, { spec, env: {} });
    await waitUntil("start", async () => ((await container.logs()).includes("started") ? true : undefined));
    await container.stop(20);
    const exit = await container.exited;
    assert.equal(exit.exitCode, 0);
    assert.deepEqual((await container.logs()).split("\n").filter(Boolean), [
      "started",
      "preStop ran",
      "got TERM",
    ]);

    // A process that ignores SIGTERM is killed once the grace period is over.
    const stubborn = await runtime.startContainer(pod, sandbox, {
      spec: {
        name: "stubborn",
        image: testBusyboxImage,
        command: ["sh", "-c", "trap '' TERM; echo started; while :; do sleep 1; done"],
      },
      env: {},
    });
    await waitUntil("start", async () => ((await stubborn.logs()).includes("started") ? true : undefined));
    await stubborn.stop(1);
    assert.equal((await stubborn.exited).exitCode, 137);
    await runtime.removeSandbox(pod);
  });

  test("pulls by digest from the registry; a digest the registry does not have is an ImagePullError", async () => {
    const pod = newPod("pull");
    const repository = `${registry.host}/test/busybox`;
    const pulled = await runtime.pullImage(pod, `${repository}@${pushedDigest}`);
    assert.equal(pulled.imageID, `docker-pullable://${repository}@${pushedDigest}`);
    const missing = `${repository}@sha256:${"0".repeat(64)}`;
    await assert.rejects(runtime.pullImage(pod, missing), (error: unknown) => {
      assert.ok(error instanceof ImagePullError);
      assert.equal(error.image, missing);
      assert.match(error.message, /manifest unknown/);
      return true;
    });
    await assert.rejects(runtime.pullImage(pod, `${repository}:no-such-tag`), /manifest unknown/);
  });

  test("runAsNonRoot refuses an image that runs as root; readOnlyRootFilesystem is honoured", async () => {
    const pod = newPod("secure");
    const sandbox = await runtime.runSandbox(pod);
    const rootSpec: V1Container = {
      name: "app",
      image: testBusyboxImage,
      securityContext: { runAsNonRoot: true },
    };
    await assert.rejects(
      runtime.startContainer(pod, sandbox, { spec: rootSpec, env: {} }),
      (error: unknown) => {
        assert.ok(error instanceof ContainerConfigError);
        assert.equal(error.reason, "CreateContainerConfigError");
        assert.match(
          error.message,
          /^container has runAsNonRoot and image will run as root \(pod: "secure_default\(/,
        );
        return true;
      },
    );
    const asUser = await runtime.startContainer(pod, sandbox, {
      spec: {
        name: "user",
        image: testBusyboxImage,
        command: ["sh", "-c", "id -u; touch /written 2>&1 && echo writable || echo read-only"],
        securityContext: { runAsNonRoot: true, runAsUser: 1000, readOnlyRootFilesystem: true },
      },
      env: {},
    });
    await asUser.exited;
    assert.equal(await asUser.logs(), "1000\ntouch: /written: Read-only file system\nread-only\n");
    await runtime.removeSandbox(pod);
  });

  test("a restarted runtime removes the pods an earlier run left behind; a missing pause image is named", async () => {
    const bridge = `cjs${process.pid % 100000}`;
    const cidr = `10.249.${process.pid % 200}.0/24`;
    const first = await DockerRuntime.start({
      socketPath: docker.socketPath,
      network: new PodNetwork({ bridge, cidr, stateDir }),
      pauseImage: testPauseImage,
    });
    const pod = newPod("left-behind");
    const sandbox = await first.runSandbox(pod);
    await first.startContainer(pod, sandbox, { spec: httpServer, env: {} });
    // The first runtime is never closed, as when the platform process dies.
    const leftovers = async () =>
      (await docker.engine.json("GET", "/containers/json", {
        query: { all: 1, filters: JSON.stringify({ label: [`io.cloudjobhunt.network=${bridge}`] }) },
      })) as unknown[];
    assert.equal((await leftovers()).length, 2);
    const second = await DockerRuntime.start({
      socketPath: docker.socketPath,
      network: new PodNetwork({ bridge, cidr, stateDir }),
      pauseImage: testPauseImage,
    });
    assert.equal((await leftovers()).length, 0);
    assert.doesNotMatch(await ip(["netns", "list"]), new RegExp(`^${bridge}-`, "m"));
    await second.close();
    // The bridge is the first run's, which never closed: the test removes it.
    await ip(["link", "del", bridge]);
    await assert.rejects(
      DockerRuntime.start({
        socketPath: docker.socketPath,
        network: new PodNetwork({ bridge, cidr, stateDir }),
        pauseImage: "cjh-test/no-such-pause:1",
      }),
      /^Error: pause image cjh-test\/no-such-pause:1 is not on the Docker engine: build the base images first$/,
    );
    await assert.rejects(ip(["link", "show", bridge]), /does not exist/);
  });
});
