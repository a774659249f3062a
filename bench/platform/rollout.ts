// The measured rollout: a template change applied (server-side apply) to a 3-replica Deployment with
// maxSurge 1 / maxUnavailable 0, timed until a real `kubectl rollout status` prints "successfully rolled out".
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import {
  type KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Deployment,
  type V1PodSpec,
} from "@kubernetes/client-node";
import { simAnnotation } from "../../local/runtime/simulated/script.ts";

export const deploymentName = "bench";

/**
 * The measured Deployment: 3 replicas, maxSurge 1 / maxUnavailable 0; `iteration` changes the template so
 * each apply is a new rollout.
 */
export function rollingBenchDeployment(
  iteration: number,
  pod: { annotations?: Record<string, string>; spec: V1PodSpec },
): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: deploymentName, namespace: "default" },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: deploymentName } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: { app: deploymentName },
          annotations: { ...pod.annotations, "bench.cloudjobhunt.dev/iteration": String(iteration) },
        },
        spec: pod.spec,
      },
    },
  };
}

export function benchDeployment(iteration: number, readyAfterMs: number): V1Deployment {
  // No readiness probe: a simulated container is then ready once started, readyAfterMs after asked.
  return rollingBenchDeployment(iteration, {
    annotations: { [simAnnotation.readyAfterMs]: String(readyAfterMs) },
    spec: { containers: [{ name: "app", image: "bench/app:1" }] },
  });
}

export interface RolloutStatusProcess {
  /** When kubectl printed its first "Waiting for deployment" line: it is then watching. */
  watching: Promise<number>;
  /** When it printed "successfully rolled out" (performance.now() ms); rejects if it failed. */
  success: Promise<number>;
}

/** Runs a real `kubectl rollout status` and timestamps its lines as they arrive. */
export function rolloutStatus(kubeconfigPath: string): RolloutStatusProcess {
  const child = spawn("kubectl", ["rollout", "status", `deployment/${deploymentName}`, "--timeout=120s"], {
    env: { ...process.env, KUBECONFIG: kubeconfigPath },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let markWatching: (at: number) => void = () => {};
  const watching = new Promise<number>((resolve) => {
    markWatching = resolve;
  });
  const success = new Promise<number>((resolve, reject) => {
    let seenAt: number | undefined;
    let stderr = "";
    createInterface({ input: child.stdout }).on("line", (line) => {
      const at = performance.now();
      if (line.startsWith(`Waiting for deployment "${deploymentName}"`)) markWatching(at);
      if (seenAt === undefined && line === `deployment "${deploymentName}" successfully rolled out`)
        seenAt = at;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0 && seenAt !== undefined) resolve(seenAt);
      else reject(new Error(`kubectl rollout status exited with ${code}: ${stderr.trim()}`));
    });
  });
  // A rollout already finished never prints "Waiting": release whoever waits on it.
  void success.then(markWatching, () => markWatching(Number.NaN));
  return { watching, success };
}

export async function applyDeployment(config: KubeConfig, manifest: V1Deployment): Promise<void> {
  await KubernetesObjectApi.makeApiClient(config).patch(
    manifest,
    undefined,
    undefined,
    "bench",
    true,
    PatchStrategy.ServerSideApply,
  );
}

function paused(manifest: V1Deployment): V1Deployment {
  return { ...manifest, spec: { ...(manifest.spec as NonNullable<V1Deployment["spec"]>), paused: true } };
}

/**
 * The rollout as kubectl sees it, without kubectl's own start-up: the template change is applied paused,
 * kubectl starts and waits ("0 out of 3 new replicas..."), then the apply that resumes it starts the clock.
 */
export async function timedRollout(
  config: KubeConfig,
  kubeconfigPath: string,
  iteration: number,
  readyAfterMs: number,
): Promise<number> {
  const manifest = benchDeployment(iteration, readyAfterMs);
  await applyDeployment(config, paused(manifest));
  const kubectl = rolloutStatus(kubeconfigPath);
  await kubectl.watching;
  const start = performance.now();
  await applyDeployment(config, manifest);
  return (await kubectl.success) - start;
}

/** The same rollout with kubectl started after the apply: its start-up is then part of the figure. */
export async function timedRolloutColdKubectl(
  config: KubeConfig,
  kubeconfigPath: string,
  iteration: number,
  readyAfterMs: number,
): Promise<number> {
  const start = performance.now();
  await applyDeployment(config, benchDeployment(iteration, readyAfterMs));
  return (await rolloutStatus(kubeconfigPath).success) - start;
}

/** kubectl's own start-up to its first verdict (on a finished rollout). */
export async function kubectlStartup(kubeconfigPath: string): Promise<number> {
  const start = performance.now();
  return (await rolloutStatus(kubeconfigPath).success) - start;
}
