// The action's test cluster (testing/test-platform.ts: the local platform in-process, simulated runtime, a
// faster clock) for the wait and undo tests, reached only through its kubeconfig; plus the same cluster
// behind a fault-injecting proxy, Deployment manifests whose pods the simulated runtime scripts, and
// server-side apply.
import { createHash } from "node:crypto";
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type V1Container,
  type V1Deployment,
} from "@kubernetes/client-node";
import type { Clock } from "../../../../local/kube/clock/clock.ts";
import { simAnnotation } from "../../../../local/runtime/simulated/script.ts";
import { startTestCluster } from "../../testing/test-platform.ts";
import { type FaultProxy, type FaultProxyOptions, startFaultProxy } from "./fault-proxy.ts";

export const namespace = "default";

/** `repo@sha256:…` for a tag the simulated registry holds (it digests the reference text). */
export function pinned(reference: string): string {
  const repository = reference.slice(0, reference.lastIndexOf(":"));
  return `${repository}@sha256:${createHash("sha256").update(reference).digest("hex")}`;
}

export interface RolloutCluster {
  kubeconfigPath: string;
  kubeConfig: KubeConfig;
  /** The platform's clock: pod and condition timestamps are written in it. */
  clock: Clock;
  apply(deployment: V1Deployment): Promise<V1Deployment>;
  /** A kubeconfig that reaches the API server through a fault-injecting proxy. */
  throughFaultProxy(options: Omit<FaultProxyOptions, "upstream" | "ca">): Promise<{
    kubeConfig: KubeConfig;
    proxy: FaultProxy;
  }>;
  close(): Promise<void>;
}

export async function startRolloutCluster(
  images: readonly string[],
  clockFactor = 10,
): Promise<RolloutCluster> {
  const cluster = await startTestCluster(images, clockFactor);
  const { kubeConfig, clock } = cluster;
  const objects = KubernetesObjectApi.makeApiClient(kubeConfig);
  const proxies: FaultProxy[] = [];
  return {
    kubeconfigPath: cluster.kubeconfigPath,
    kubeConfig,
    clock,
    apply: (deployment) =>
      objects.patch(deployment, undefined, undefined, "aks-deploy-test", true, PatchStrategy.ServerSideApply),
    async throughFaultProxy(options) {
      const cluster = kubeConfig.getCurrentCluster();
      const user = kubeConfig.getCurrentUser();
      if (!cluster?.caData || !user?.token) throw new Error("the platform's kubeconfig has no CA or token");
      const proxy = await startFaultProxy({
        ...options,
        upstream: cluster.server,
        ca: Buffer.from(cluster.caData, "base64").toString(),
      });
      proxies.push(proxy);
      const viaProxy = new KubeConfig();
      viaProxy.loadFromOptions({
        clusters: [{ name: "faulty", server: proxy.url, skipTLSVerify: true }],
        users: [{ name: "faulty", token: user.token }],
        contexts: [{ name: "faulty", cluster: "faulty", user: "faulty", namespace }],
        currentContext: "faulty",
      });
      return { kubeConfig: viaProxy, proxy };
    },
    async close() {
      for (const proxy of proxies) await proxy.close();
      await cluster.close();
    },
  };
}

export interface PodScript {
  readyAfterMs?: number;
  neverReady?: boolean;
  crashExitCode?: number;
  crashAfterMs?: number;
  oomAfterMs?: number;
}

export interface DeploymentOptions {
  image?: string;
  replicas?: number;
  progressDeadlineSeconds?: number;
  script?: PodScript;
  container?: Partial<V1Container>;
  paused?: boolean;
  changeCause?: string;
}

/** A Deployment of `replicas` pods (maxSurge 1, maxUnavailable 0, readiness probe every second). */
export function deployment(name: string, options: DeploymentOptions = {}): V1Deployment {
  const script = options.script ?? { readyAfterMs: 1000 };
  const annotations: Record<string, string> = {};
  if (script.readyAfterMs !== undefined)
    annotations[simAnnotation.readyAfterMs] = String(script.readyAfterMs);
  if (script.neverReady) annotations[simAnnotation.neverReady] = "true";
  if (script.crashExitCode !== undefined)
    annotations[simAnnotation.crashExitCode] = String(script.crashExitCode);
  if (script.crashAfterMs !== undefined)
    annotations[simAnnotation.crashAfterMs] = String(script.crashAfterMs);
  if (script.oomAfterMs !== undefined) annotations[simAnnotation.oomAfterMs] = String(script.oomAfterMs);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: {
      name,
      namespace,
      ...(options.changeCause ? { annotations: { "kubernetes.io/change-cause": options.changeCause } } : {}),
    },
    spec: {
      replicas: options.replicas ?? 2,
      ...(options.paused ? { paused: true } : {}),
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      selector: { matchLabels: { app: name } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: {
          containers: [
            {
              name: "web",
              image: options.image ?? pinned("web:1"),
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1, failureThreshold: 3 },
              ...options.container,
            },
          ],
        },
      },
    },
  };
}
