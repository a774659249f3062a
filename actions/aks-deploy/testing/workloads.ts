// Deployments for the action's tests, scripted for the simulated runtime (sim.cloudjobhunt.dev annotations):
// healthy, crash-looping, OOM-killed, never ready, or needing a missing config key.
import type { V1ConfigMap, V1Deployment, V1Service } from "@kubernetes/client-node";
import { simAnnotation } from "../../../local/runtime/simulated/script.ts";

export type Behaviour = "healthy" | "crash" | "oom" | "never-ready" | "missing-config-key";

export interface WorkloadOptions {
  readonly name?: string;
  readonly namespace?: string;
  readonly image: string;
  readonly behaviour?: Behaviour;
  readonly replicas?: number;
  readonly progressDeadlineSeconds?: number;
  /** Platform-clock ms until a healthy container is ready (default 1000). */
  readonly readyAfterMs?: number;
}

export function workload(options: WorkloadOptions): V1Deployment {
  const name = options.name ?? "web";
  const behaviour = options.behaviour ?? "healthy";
  const annotations: Record<string, string> = {
    healthy: { [simAnnotation.readyAfterMs]: String(options.readyAfterMs ?? 1000) },
    crash: {
      [simAnnotation.crashExitCode]: "1",
      [simAnnotation.crashAfterMs]: "200",
      [simAnnotation.readyAfterMs]: "1000",
    },
    oom: { [simAnnotation.oomAfterMs]: "200", [simAnnotation.readyAfterMs]: "1000" },
    "never-ready": { [simAnnotation.neverReady]: "true" },
    "missing-config-key": { [simAnnotation.readyAfterMs]: "1000" },
  }[behaviour];
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: options.namespace ?? "default", labels: { app: name } },
    spec: {
      replicas: options.replicas ?? 2,
      progressDeadlineSeconds: options.progressDeadlineSeconds ?? 600,
      selector: { matchLabels: { app: name } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { app: name }, annotations },
        spec: {
          containers: [
            {
              name: "app",
              image: options.image,
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
              resources: {
                requests: { cpu: "50m", memory: "64Mi" },
                limits: { cpu: "500m", memory: "256Mi" },
              },
              ...(behaviour === "missing-config-key"
                ? {
                    env: [
                      {
                        name: "MISSING",
                        valueFrom: { configMapKeyRef: { name: `${name}-config`, key: "absent" } },
                      },
                    ],
                  }
                : {}),
            },
          ],
        },
      },
    },
  };
}

export function configFor(name: string, namespace = "default"): V1ConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: `${name}-config`, namespace },
    data: { present: "value" },
  };
}

export function serviceFor(name: string, namespace = "default"): V1Service {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}
