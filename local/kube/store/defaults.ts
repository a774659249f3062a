// The defaults the real API server fills in on create and update (pkg/apis/*/v1/defaults.go), for the
// kinds whose defaults clients observe: `kubectl get -o yaml`, rollout undo's template comparison and
// the controllers all see the defaulted object.
import type { V1Container, V1PodSpec, V1Probe, V1ServicePort } from "@kubernetes/client-node";
import type { KubeObject } from "../api/meta.ts";

type Loose = Record<string, unknown>;

function record(value: unknown): Loose | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Loose) : undefined;
}

function defaultProbe(probe: V1Probe | undefined): void {
  if (!probe) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (probe.httpGet) probe.httpGet.scheme ??= "HTTP";
}

function defaultContainer(container: V1Container): void {
  const tagged = /:[^/]+$/.test(container.image ?? "") && !(container.image ?? "").endsWith(":latest");
  const pinned = (container.image ?? "").includes("@");
  container.imagePullPolicy ??= tagged || pinned ? "IfNotPresent" : "Always";
  container.terminationMessagePath ??= "/dev/termination-log";
  container.terminationMessagePolicy ??= "File";
  container.resources ??= {};
  for (const port of container.ports ?? []) port.protocol ??= "TCP";
  defaultProbe(container.livenessProbe);
  defaultProbe(container.readinessProbe);
  defaultProbe(container.startupProbe);
  for (const variable of container.env ?? []) {
    if (variable.valueFrom?.fieldRef) variable.valueFrom.fieldRef.apiVersion ??= "v1";
  }
}

function defaultPodSpec(spec: V1PodSpec | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= "Always";
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= "ClusterFirst";
  spec.securityContext ??= {};
  spec.schedulerName ??= "default-scheduler";
  for (const container of [...(spec.initContainers ?? []), ...spec.containers]) defaultContainer(container);
  for (const volume of spec.volumes ?? []) {
    if (volume.secret) volume.secret.defaultMode ??= 420;
    if (volume.configMap) volume.configMap.defaultMode ??= 420;
  }
}

function qosClass(spec: V1PodSpec): string {
  const containers = spec.containers ?? [];
  const any = containers.some(
    (c) =>
      Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0,
  );
  if (!any) return "BestEffort";
  const guaranteed = containers.every((c) => {
    const limits = c.resources?.limits ?? {};
    const requests = c.resources?.requests ?? {};
    return ["cpu", "memory"].every(
      (r) => limits[r] !== undefined && (requests[r] === undefined || requests[r] === limits[r]),
    );
  });
  return guaranteed ? "Guaranteed" : "Burstable";
}

function templateSpec(object: Loose): V1PodSpec | undefined {
  const spec = record(object.spec);
  const template = record(spec?.template);
  return record(template?.spec) as V1PodSpec | undefined;
}

export function applyDefaults(object: KubeObject): void {
  const spec = record(object.spec);
  switch (object.kind) {
    case "Deployment": {
      if (!spec) return;
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      const strategy = (record(spec.strategy) ?? {}) as Loose;
      strategy.type ??= "RollingUpdate";
      if (strategy.type === "RollingUpdate") {
        const rolling = record(strategy.rollingUpdate) ?? {};
        rolling.maxSurge ??= "25%";
        rolling.maxUnavailable ??= "25%";
        strategy.rollingUpdate = rolling;
      }
      spec.strategy = strategy;
      defaultPodSpec(templateSpec(object));
      return;
    }
    case "ReplicaSet":
    case "StatefulSet":
      if (!spec) return;
      spec.replicas ??= 1;
      defaultPodSpec(templateSpec(object));
      return;
    case "Pod": {
      const podSpec = spec as V1PodSpec | undefined;
      defaultPodSpec(podSpec);
      if (podSpec && record(object.status)?.phase === undefined) {
        object.status = { ...record(object.status), phase: "Pending", qosClass: qosClass(podSpec) };
      }
      return;
    }
    case "Service": {
      if (!spec) return;
      spec.type ??= "ClusterIP";
      spec.sessionAffinity ??= "None";
      for (const port of (spec.ports ?? []) as V1ServicePort[]) {
        port.protocol ??= "TCP";
        port.targetPort ??= port.port;
      }
      return;
    }
    case "Secret": {
      // stringData is write-only: the server folds it into data (base64) and never stores it.
      object.type ??= "Opaque";
      const stringData = record(object.stringData);
      if (stringData) {
        const data = { ...record(object.data) };
        for (const [key, value] of Object.entries(stringData))
          data[key] = Buffer.from(String(value)).toString("base64");
        object.data = data;
        delete object.stringData;
      }
      return;
    }
    case "Namespace":
      object.spec = { finalizers: ["kubernetes"], ...spec };
      if (record(object.status)?.phase === undefined)
        object.status = { ...record(object.status), phase: "Active" };
      return;
  }
}
