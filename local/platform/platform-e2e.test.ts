// The platform end to end on real containers: kubectl against the local API, the controllers and kubelet
// on the Docker runtime, the service proxy in front, images pushed through the ACR token flow to the real
// registry behind the ACR stand-in, and pulled by the kubelet from there.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { waitUntil } from "../common/testing/wait-until.ts";
import { ensureDockerEngine, stopPlatformEngine } from "../docker-engine/docker-engine.ts";
import { DockerEngine, readAll, socketPathFromDockerHost } from "../docker-engine/engine-client.ts";
import { acrLogin } from "../runtime/docker/testing/acr-login.ts";
import { requestStream } from "../runtime/docker/testing/request-stream.ts";
import { buildImage, pushImage } from "../runtime/docker/testing/test-engine.ts";
import { type RunningPlatform, startPlatform } from "./start-platform.ts";

function run(command: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { encoding: "utf8", timeout: 180_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(" ")}: ${stderr || error.message}`));
      else resolve(stdout);
    });
    child.stdin?.on("error", () => undefined);
    child.stdin?.end(input ?? "");
  });
}

function httpBody(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false, timeout: 5000 }, async (res) =>
      resolve((await readAll(res)).toString("utf8")),
    ).on("error", reject);
  });
}

/** A tiny web app image: busybox httpd from the pause image's base, answering its version. */
async function buildAppImage(engine: DockerEngine, tag: string, version: string): Promise<void> {
  const context = mkdtempSync(join(tmpdir(), "cjh-app-"));
  try {
    writeFileSync(join(context, "index.html"), `${version}\n`);
    writeFileSync(
      join(context, "Dockerfile"),
      [
        "FROM cloudjobhunt/pause:1",
        "COPY index.html /www/index.html",
        'ENTRYPOINT ["httpd", "-f", "-p", "8080", "-h", "/www"]',
        "",
      ].join("\n"),
    );
    await buildImage(engine, context, tag);
  } finally {
    rmSync(context, { recursive: true, force: true });
  }
}

function deployment(image: string): string {
  return JSON.stringify({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "app", namespace: "default" },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "app" } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: "app" } },
        spec: {
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: "app",
              image,
              ports: [{ name: "http", containerPort: 8080 }],
              readinessProbe: { httpGet: { path: "/index.html", port: "http" }, periodSeconds: 1 },
              // Requests already on their way when the pod leaves the EndpointSlice still get answered.
              lifecycle: { preStop: { sleep: { seconds: 2 } } },
            },
          ],
        },
      },
    },
  });
}

const service = JSON.stringify({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "app", namespace: "default" },
  spec: {
    type: "LoadBalancer",
    selector: { app: "app" },
    ports: [{ name: "http", port: 80, targetPort: "http" }],
  },
});

describe("platform end to end on Docker", { timeout: 600_000 }, () => {
  const stateDir = mkdtempSync(join(tmpdir(), "cjh-e2e-"));
  let platform: RunningPlatform;
  let engine: DockerEngine;
  let repository = "";
  const digests: Record<string, string> = {};
  const kubectl = (args: string[], input?: string) =>
    run("kubectl", ["--kubeconfig", platform.kubeconfigPath, ...args], input);

  before(async () => {
    platform = await startPlatform({
      stateDir,
      runtime: "docker",
      podNetwork: {
        bridge: `cje${process.pid % 100000}`,
        cidr: `10.253.${process.pid % 200}.0/24`,
      },
    });
    const started = await ensureDockerEngine({ home: stateDir });
    engine = new DockerEngine(socketPathFromDockerHost(started.dockerHost));
    const login = await acrLogin(stateDir);
    repository = `${login.loginServer}/e2e/app`;
    for (const version of ["v1", "v2"]) {
      await buildAppImage(engine, `${repository}:${version}`, version);
      digests[version] = await pushImage(engine, repository, version, {
        username: login.username,
        password: login.password,
        serveraddress: login.loginServer,
      });
      // The kubelet must pull it from the registry, as on a fresh node.
      await engine.json("DELETE", `/images/${repository}:${version}`);
    }
  });

  after(async () => {
    engine?.close();
    await platform?.stop();
    await stopPlatformEngine(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("a 3-replica Deployment rolls out, serves through its Service, rolls to v2 with zero failed requests, and is undone", async () => {
    await kubectl(["apply", "-f", "-"], service);
    await kubectl(["apply", "-f", "-"], deployment(`${repository}@${digests.v1}`));
    await kubectl(["rollout", "status", "deployment/app", "--timeout=180s"]);
    const lb = JSON.parse(await kubectl(["get", "service", "app", "-o", "json"])) as {
      status: { loadBalancer: { ingress: { ip: string }[] } };
    };
    const ip = lb.status.loadBalancer.ingress[0]?.ip ?? "";
    assert.match(ip, /^127\.10\./);
    const url = `http://${ip}:80/index.html`;
    assert.equal(await httpBody(url), "v1\n");

    const stream = requestStream(url);
    await kubectl(["set", "image", "deployment/app", `app=${repository}@${digests.v2}`]);
    await kubectl(["rollout", "status", "deployment/app", "--timeout=180s"]);
    await waitUntil("v2 answers", () => (stream.result.bodies.get("v2") ?? 0) >= 10, { timeoutMs: 30_000 });
    const during = await stream.stop();
    assert.deepEqual(during.failures, []);
    assert.equal(during.failed, 0);
    assert.ok((during.bodies.get("v1") ?? 0) > 0 && (during.bodies.get("v2") ?? 0) > 0);
    assert.equal(await httpBody(url), "v2\n");

    assert.match(await kubectl(["rollout", "undo", "deployment/app"]), /rolled back/);
    await kubectl(["rollout", "status", "deployment/app", "--timeout=180s"]);
    const pods = JSON.parse(await kubectl(["get", "pods", "-l", "app=app", "-o", "json"])) as {
      items: { metadata: { deletionTimestamp?: string }; spec: { containers: { image: string }[] } }[];
    };
    const live = pods.items.filter((pod) => !pod.metadata.deletionTimestamp);
    assert.deepEqual(
      live.map((pod) => pod.spec.containers[0]?.image),
      [1, 2, 3].map(() => `${repository}@${digests.v1}`),
    );
    await waitUntil("v1 answers again", async () => (await httpBody(url)) === "v1\n");
  });

  test("a container that exits crash-loops; a digest the registry does not have gives ErrImagePull", async () => {
    const pod = (name: string, image: string, command?: string[]) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name, namespace: "default" },
        spec: { containers: [{ name: "app", image, ...(command ? { command } : {}) }] },
      });
    await kubectl(
      ["apply", "-f", "-"],
      pod("crasher", `${repository}@${digests.v1}`, ["sh", "-c", "exit 2"]),
    );
    const missing = `${repository}@sha256:${"0".repeat(64)}`;
    await kubectl(["apply", "-f", "-"], pod("missing", missing));
    const statusOf = async (name: string) =>
      (
        JSON.parse(await kubectl(["get", "pod", name, "-o", "json"])) as {
          status: {
            containerStatuses?: {
              restartCount: number;
              state: { waiting?: { reason: string; message?: string } };
            }[];
          };
        }
      ).status.containerStatuses?.[0];
    await waitUntil("CrashLoopBackOff", async () => {
      const crashing = await statusOf("crasher");
      return crashing?.state.waiting?.reason === "CrashLoopBackOff" && crashing.restartCount >= 1;
    });
    const pulling = await waitUntil("ErrImagePull", async () => {
      const status = await statusOf("missing");
      return status?.state.waiting?.reason === "ErrImagePull" ? status : undefined;
    });
    assert.match(pulling.state.waiting?.message ?? "", /manifest unknown/);
    const events = await kubectl([
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=missing",
      "-o",
      "json",
    ]);
    assert.match(events, /manifest unknown/);
  });
});
