// bench:platform --runtime docker: apply -> "successfully rolled out" for 3 replicas of the CloudJobHunt
// image on real containers (maxSurge 1 / maxUnavailable 0: the new pods come up one after another),
// beside the sum of those 3 containers' own start-to-ready times measured in the same rollout (engine
// StartedAt -> first 200 from /readyz, polled every 10 ms from the host), while a steady request stream goes
// through the Service: ratio goal <= 1.3, zero failed requests.
import { mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { KubeConfig, type V1Deployment } from "@kubernetes/client-node";
import { ensureDockerEngine, stopPlatformEngine } from "../../local/docker-engine/docker-engine.ts";
import { DockerEngine, socketPathFromDockerHost } from "../../local/docker-engine/engine-client.ts";
import type { Pod } from "../../local/kube/api/kinds.ts";
import { resources } from "../../local/kube/api/resources.ts";
import { parseSubnet } from "../../local/network/subnet.ts";
import { startPlatform } from "../../local/platform/start-platform.ts";
import { requestStream } from "../../local/runtime/docker/testing/request-stream.ts";
import { type Spread, summarize } from "../server/stats.ts";
import { cloudJobHuntImage, podDatabase } from "./docker-app.ts";
import type { PlatformBenchOptions } from "./options.ts";
import { podTimeline } from "./pod-timeline.ts";
import { applyDeployment, deploymentName, rollingBenchDeployment, rolloutStatus } from "./rollout.ts";

export const dockerGoalRatio = 1.3;
const podCidr = "10.248.0.0/24";

export interface DockerRollout {
  rolloutMs: number;
  /** Each new container's StartedAt -> first ready answer. */
  startToReadyMs: number[];
  ratio: number;
  requests: number;
  failedRequests: number;
}

export interface DockerBenchResult {
  rollouts: DockerRollout[];
  rollout: Spread;
  sumStartToReady: Spread;
  ratio: Spread;
  failedRequests: number;
  requests: number;
}

function deployment(image: string, iteration: number): V1Deployment {
  return rollingBenchDeployment(iteration, {
    spec: {
      terminationGracePeriodSeconds: 15,
      containers: [
        {
          name: "api",
          image,
          ports: [{ name: "http", containerPort: 8080 }],
          env: [
            { name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "bench-db", key: "url" } } },
            { name: "DB_SSL", value: "disable" },
            { name: "LOG_LEVEL", value: "warn" },
          ],
          readinessProbe: {
            httpGet: { path: "/readyz", port: "http" },
            periodSeconds: 1,
            failureThreshold: 1,
          },
          lifecycle: { preStop: { sleep: { seconds: 1 } } },
          securityContext: { runAsNonRoot: true, readOnlyRootFilesystem: true },
          resources: { limits: { memory: "256Mi" } },
        },
      ],
    },
  });
}

function readyNow(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    get(url, { agent: false, timeout: 500 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    })
      .on("timeout", function (this: { destroy(): void }) {
        this.destroy();
      })
      .on("error", () => resolve(false));
  });
}

/** Follows the pods the rollout creates: for each, its container's StartedAt -> first 200 from /readyz. */
function watchNewPods(
  platform: Awaited<ReturnType<typeof startPlatform>>,
  engine: DockerEngine,
  known: Set<string>,
) {
  const measured = new Map<string, Promise<number>>();
  const consider = (pod: Pod) => {
    const uid = pod.metadata.uid ?? "";
    const containerID = pod.status?.containerStatuses?.[0]?.containerID?.replace(/^docker:\/\//, "");
    const podIP = pod.status?.podIP;
    if (known.has(uid) || measured.has(uid) || !containerID || !podIP) return;
    measured.set(
      uid,
      (async () => {
        const deadline = Date.now() + 120_000;
        while (!(await readyNow(`http://${podIP}:8080/readyz`))) {
          if (Date.now() > deadline) throw new Error(`pod ${pod.metadata.name} never answered /readyz`);
          await delay(10);
        }
        const readyAt = Date.now();
        const inspect = (await engine.json("GET", `/containers/${containerID}/json`)) as {
          State: { StartedAt: string };
        };
        return readyAt - new Date(inspect.State.StartedAt).getTime();
      })(),
    );
  };
  const stop = platform.store.watch(resources.pods, { namespace: "default" }, ({ object }) =>
    consider(object),
  );
  return {
    async results(): Promise<number[]> {
      stop();
      return Promise.all(measured.values());
    },
  };
}

function liveUids(platform: Awaited<ReturnType<typeof startPlatform>>): Set<string> {
  return new Set(
    platform.store.list(resources.pods, { namespace: "default" }).items.map((pod) => pod.metadata.uid ?? ""),
  );
}

export async function runDockerPlatformBench(
  options: PlatformBenchOptions,
  log: (line: string) => void,
): Promise<DockerBenchResult> {
  const stateDir = mkdtempSync(join(tmpdir(), "bench-platform-docker-"));
  const platform = await startPlatform({
    stateDir,
    runtime: "docker",
    podNetwork: { bridge: "cjhbench0", cidr: podCidr },
    log,
  });
  const started = await ensureDockerEngine({ home: stateDir });
  const engine = new DockerEngine(socketPathFromDockerHost(started.dockerHost));
  const database = await podDatabase(stateDir, parseSubnet(podCidr).gateway);
  try {
    const image = await cloudJobHuntImage(engine, started.dockerHost, stateDir, log);
    platform.store.create(resources.secrets, {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "bench-db", namespace: "default" },
      stringData: { url: database.url },
    });
    platform.store.create(resources.services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: deploymentName, namespace: "default" },
      spec: {
        type: "LoadBalancer",
        selector: { app: deploymentName },
        ports: [{ name: "http", port: 80, targetPort: "http" }],
      },
    });
    const config = new KubeConfig();
    config.loadFromFile(platform.kubeconfigPath);
    log("first rollout (not measured: pulls nothing, migrates the database)...");
    await applyDeployment(config, deployment(image, 0));
    await rolloutStatus(platform.kubeconfigPath).success;
    const service = platform.store.get(resources.services, "default", deploymentName) as unknown as {
      status: { loadBalancer: { ingress: { ip: string }[] } };
    };
    const url = `http://${service.status.loadBalancer.ingress[0]?.ip}:80/healthz`;

    const rollouts: DockerRollout[] = [];
    for (let i = 1; i <= options.repetitions; i++) {
      const live = liveUids(platform);
      const pods = watchNewPods(platform, engine, live);
      const timeline = podTimeline(platform.store, live);
      const stream = requestStream(url, 2);
      // As the simulated scenario: applied paused, kubectl starts and waits, the resuming apply starts the clock.
      const paused = deployment(image, i);
      await applyDeployment(config, {
        ...paused,
        spec: { ...(paused.spec as NonNullable<V1Deployment["spec"]>), paused: true },
      });
      const kubectl = rolloutStatus(platform.kubeconfigPath);
      await kubectl.watching;
      const start = performance.now();
      timeline.start();
      await applyDeployment(config, deployment(image, i));
      const rolloutMs = (await kubectl.success) - start;
      const startToReadyMs = await pods.results();
      // Old pods are still terminating (preStop, SIGTERM): the stream runs until they are gone.
      while (platform.store.list(resources.pods, { namespace: "default" }).items.length > 3) await delay(100);
      const requests = await stream.stop();
      const sum = startToReadyMs.reduce((a, b) => a + b, 0);
      const rollout = {
        rolloutMs,
        startToReadyMs,
        ratio: rolloutMs / sum,
        requests: requests.ok + requests.failed,
        failedRequests: requests.failed,
      };
      log(
        `rollout ${i}/${options.repetitions}: ${rolloutMs.toFixed(0)} ms; containers start->ready ${startToReadyMs.map((ms) => ms.toFixed(0)).join(" + ")} = ${sum.toFixed(0)} ms; ratio ${rollout.ratio.toFixed(2)}; ${rollout.failedRequests}/${rollout.requests} requests failed${requests.failures.length ? ` (${requests.failures.slice(0, 3).join("; ")})` : ""}`,
      );
      for (const line of timeline.report()) log(line);
      rollouts.push(rollout);
    }
    return {
      rollouts,
      rollout: summarize(rollouts.map((r) => r.rolloutMs)),
      sumStartToReady: summarize(rollouts.map((r) => r.startToReadyMs.reduce((a, b) => a + b, 0))),
      ratio: summarize(rollouts.map((r) => r.ratio)),
      failedRequests: rollouts.reduce((a, r) => a + r.failedRequests, 0),
      requests: rollouts.reduce((a, r) => a + r.requests, 0),
    };
  } finally {
    engine.close();
    await platform.stop();
    await database.stop();
    await stopPlatformEngine(stateDir);
    rmSync(stateDir, { recursive: true, force: true });
  }
}

const spread = (s: Spread, digits = 0) =>
  `median ${s.median.toFixed(digits)} (range ${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;

export function renderDockerReport(result: DockerBenchResult): string {
  return [
    "bench:platform (docker runtime: the CloudJobHunt image, 3 replicas, maxSurge 1 / maxUnavailable 0, readiness /readyz every 1 s)",
    `  apply -> kubectl "successfully rolled out" (kubectl already watching): ${spread(result.rollout)} ms over ${result.rollouts.length} rollouts`,
    `  sum of the 3 new containers' own start -> ready (same rollouts): ${spread(result.sumStartToReady)} ms`,
    `  ratio rollout / sum: ${spread(result.ratio, 2)} (goal <= ${dockerGoalRatio}: ${result.ratio.median <= dockerGoalRatio ? "met" : "MISSED"})`,
    `  requests through the Service during the rollouts: ${result.requests}, failed: ${result.failedRequests} (goal 0: ${result.failedRequests === 0 ? "met" : "MISSED"})`,
  ].join("\n");
}
