// What makes a rollout safe and a pod restricted, checked on rendered manifests. Each rule returns its
// problems, each naming the object and the field. Pod security follows the "restricted" profile of
// https://kubernetes.io/docs/concepts/security/pod-security-standards/ ; rollout rules follow the deployment
// controller (maxUnavailable 0 keeps every ready pod until its replacement is available).
import type {
  V1Container,
  V1Deployment,
  V1Ingress,
  V1LabelSelector,
  V1NetworkPolicy,
  V1NetworkPolicyIngressRule,
  V1NetworkPolicyPeer,
  V1PodDisruptionBudget,
  V1PodSpec,
  V1Service,
  V2HorizontalPodAutoscaler,
} from "@kubernetes/client-node";
import type { KubeObject } from "./render.ts";

type Rule = (objects: KubeObject[]) => string[];

const of = <T>(objects: KubeObject[], kind: string) =>
  objects.filter((o) => o.kind === kind) as unknown as (T & { metadata: { name: string } })[];

const workloads = (objects: KubeObject[]) => of<V1Deployment>(objects, "Deployment");

function podSpec(deployment: V1Deployment): V1PodSpec {
  return deployment.spec?.template.spec ?? { containers: [] };
}

function selects(selector: V1LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const wanted = Object.entries(selector?.matchLabels ?? {});
  return wanted.length > 0 && wanted.every(([k, v]) => labels?.[k] === v);
}

const podLabels = (d: V1Deployment) => d.spec?.template.metadata?.labels;

/** Digest form of the distribution grammar: every reference ending in @sha256:<64 hex>. */
const byDigest = /@sha256:[0-9a-f]{64}$/;

export const rolloutSafety: Rule = (objects) =>
  workloads(objects).flatMap((d) => {
    const at = `Deployment ${d.metadata.name}`;
    const strategy = d.spec?.strategy;
    const problems: string[] = [];
    if (strategy?.type !== "RollingUpdate") problems.push(`${at}: spec.strategy.type must be RollingUpdate`);
    if (strategy?.rollingUpdate?.maxUnavailable !== 0)
      problems.push(`${at}: spec.strategy.rollingUpdate.maxUnavailable must be 0`);
    const surge = strategy?.rollingUpdate?.maxSurge;
    if (surge === undefined || surge === 0 || surge === "0%")
      problems.push(`${at}: spec.strategy.rollingUpdate.maxSurge must let a new pod start`);
    if (d.spec?.progressDeadlineSeconds === undefined)
      problems.push(`${at}: spec.progressDeadlineSeconds is not set`);
    if (!d.spec?.revisionHistoryLimit)
      problems.push(`${at}: spec.revisionHistoryLimit must keep revisions to undo to`);
    if ((d.spec?.replicas ?? 1) < 2) problems.push(`${at}: spec.replicas must be at least 2`);
    return problems;
  });

function containerProblems(at: string, c: V1Container): string[] {
  const problems: string[] = [];
  const where = `${at}: container ${c.name}`;
  if (!c.readinessProbe) problems.push(`${where} has no readinessProbe`);
  if (!c.livenessProbe) problems.push(`${where} has no livenessProbe`);
  if (!c.startupProbe) problems.push(`${where} has no startupProbe`);
  for (const bound of ["requests", "limits"] as const)
    for (const resource of ["cpu", "memory"])
      if (c.resources?.[bound]?.[resource] === undefined)
        problems.push(`${where} has no ${bound}.${resource}`);
  if (!byDigest.test(c.image ?? "")) problems.push(`${where}: image ${c.image} is not pinned by digest`);
  return problems;
}

export const containers: Rule = (objects) =>
  workloads(objects).flatMap((d) => {
    const at = `Deployment ${d.metadata.name}`;
    const spec = podSpec(d);
    return [...(spec.initContainers ?? []), ...spec.containers].flatMap((c) => containerProblems(at, c));
  });

const allowedVolumes = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
];

export const restrictedPodSecurity: Rule = (objects) =>
  workloads(objects).flatMap((d) => {
    const at = `Deployment ${d.metadata.name}`;
    const spec = podSpec(d);
    const pod = spec.securityContext;
    const problems: string[] = [];
    if (spec.hostNetwork || spec.hostPID || spec.hostIPC) problems.push(`${at}: host namespaces are shared`);
    for (const volume of spec.volumes ?? []) {
      const types = Object.keys(volume).filter((k) => k !== "name");
      if (!types.every((t) => allowedVolumes.includes(t)))
        problems.push(`${at}: volume ${volume.name} is of type ${types.join(",")}`);
    }
    for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
      const where = `${at}: container ${c.name}`;
      const own = c.securityContext;
      if ((own?.runAsNonRoot ?? pod?.runAsNonRoot) !== true) problems.push(`${where} must set runAsNonRoot`);
      if ((own?.runAsUser ?? pod?.runAsUser) === 0) problems.push(`${where} runs as uid 0`);
      if (own?.allowPrivilegeEscalation !== false)
        problems.push(`${where} must set allowPrivilegeEscalation: false`);
      if (own?.privileged) problems.push(`${where} is privileged`);
      if (!own?.capabilities?.drop?.includes("ALL")) problems.push(`${where} must drop ALL capabilities`);
      if ((own?.capabilities?.add ?? []).some((cap) => cap !== "NET_BIND_SERVICE"))
        problems.push(`${where} adds capabilities`);
      const seccomp = own?.seccompProfile?.type ?? pod?.seccompProfile?.type;
      if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost")
        problems.push(`${where} needs seccompProfile RuntimeDefault or Localhost`);
      if (own?.readOnlyRootFilesystem !== true) problems.push(`${where} must set readOnlyRootFilesystem`);
    }
    return problems;
  });

export const noSecretData: Rule = (objects) =>
  objects
    .filter((o) => o.kind === "Secret" && (o.data !== undefined || o.stringData !== undefined))
    .map((o) => `Secret ${o.metadata.name} carries data in the manifests`);

/** preStop + the API's drain + its grace for requests in flight must end before the kubelet's SIGKILL. */
export const drainFitsGracePeriod: Rule = (objects) =>
  workloads(objects).flatMap((d) => {
    const spec = podSpec(d);
    return spec.containers.flatMap((c) => {
      const env = (name: string) => Number(c.env?.find((e) => e.name === name)?.value ?? 0);
      const preStopMs = (c.lifecycle?.preStop?.sleep?.seconds ?? 0) * 1000;
      const needMs = preStopMs + env("SHUTDOWN_DRAIN_MS") + env("SHUTDOWN_GRACE_MS");
      const graceMs = (spec.terminationGracePeriodSeconds ?? 30) * 1000;
      return needMs >= graceMs
        ? [
            `Deployment ${d.metadata.name}: container ${c.name} needs ${needMs} ms to stop (preStop + SHUTDOWN_DRAIN_MS + SHUTDOWN_GRACE_MS) but terminationGracePeriodSeconds allows ${graceMs} ms`,
          ]
        : [];
    });
  });

export const topologySpread: Rule = (objects) =>
  workloads(objects).flatMap((d) => {
    const zone = podSpec(d).topologySpreadConstraints?.find(
      (t) => t.topologyKey === "topology.kubernetes.io/zone",
    );
    const at = `Deployment ${d.metadata.name}`;
    if (!zone) return [`${at}: no topology spread across zones`];
    const problems: string[] = [];
    if (zone.maxSkew !== 1) problems.push(`${at}: zone spread maxSkew must be 1`);
    if (!selects(zone.labelSelector, podLabels(d)))
      problems.push(`${at}: zone spread does not select its own pods`);
    return problems;
  });

export const disruptionBudget: Rule = (objects) =>
  workloads(objects).flatMap((d) => {
    const budget = of<V1PodDisruptionBudget>(objects, "PodDisruptionBudget").find((p) =>
      selects(p.spec?.selector, podLabels(d)),
    );
    const at = `Deployment ${d.metadata.name}`;
    if (!budget) return [`${at}: no PodDisruptionBudget selects its pods`];
    const replicas = d.spec?.replicas ?? 1;
    const { minAvailable, maxUnavailable } = budget.spec ?? {};
    const allowed = typeof minAvailable === "number" ? replicas - minAvailable : maxUnavailable;
    return allowed === 0 || (typeof allowed === "number" && allowed >= replicas)
      ? [`${at}: PodDisruptionBudget ${budget.metadata.name} must allow some but not all disruptions`]
      : [];
  });

export const autoscaler: Rule = (objects) =>
  workloads(objects).flatMap((d) => {
    const hpa = of<V2HorizontalPodAutoscaler>(objects, "HorizontalPodAutoscaler").find(
      (h) => h.spec?.scaleTargetRef.kind === "Deployment" && h.spec.scaleTargetRef.name === d.metadata.name,
    );
    const at = `Deployment ${d.metadata.name}`;
    if (!hpa?.spec) return [`${at}: no HorizontalPodAutoscaler targets it`];
    const problems: string[] = [];
    if ((hpa.spec.minReplicas ?? 1) < (d.spec?.replicas ?? 1))
      problems.push(`${at}: HorizontalPodAutoscaler ${hpa.metadata.name} minReplicas is below spec.replicas`);
    if (hpa.spec.maxReplicas <= (hpa.spec.minReplicas ?? 1))
      problems.push(`${at}: HorizontalPodAutoscaler ${hpa.metadata.name} cannot scale out`);
    if (!hpa.spec.metrics?.some((m) => m.resource?.name === "cpu"))
      problems.push(`${at}: HorizontalPodAutoscaler ${hpa.metadata.name} has no CPU target`);
    return problems;
  });

/** An ingress rule's peers: manifests say `from`, which client-node's model renames `_from`. */
const sources = (rule: V1NetworkPolicyIngressRule) => (rule as { from?: V1NetworkPolicyPeer[] }).from;

// Private address ranges (RFC 1918, link-local): HTTPS egress for Entra ID must leave out the cluster, the VNet
// and the node's metadata endpoints.
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"];

/**
 * Ingress only from the ingress controller to the API port; egress only DNS, PostgreSQL, and HTTPS to public
 * addresses (Entra ID's token endpoint for workload identity has no fixed range a NetworkPolicy could name).
 */
export const networkPolicy: Rule = (objects) =>
  workloads(objects).flatMap((d) => {
    const at = `Deployment ${d.metadata.name}`;
    const policy = of<V1NetworkPolicy>(objects, "NetworkPolicy").find((p) =>
      selects(p.spec?.podSelector, podLabels(d)),
    );
    if (!policy?.spec) return [`${at}: no NetworkPolicy selects its pods`];
    const where = `NetworkPolicy ${policy.metadata.name}`;
    const problems: string[] = [];
    const types = policy.spec.policyTypes ?? [];
    if (!types.includes("Ingress") || !types.includes("Egress"))
      problems.push(`${where}: policyTypes must include Ingress and Egress`);
    for (const [i, rule] of (policy.spec.ingress ?? []).entries()) {
      if (
        !sources(rule)?.length ||
        sources(rule)?.some((peer) => !peer.namespaceSelector && !peer.podSelector)
      )
        problems.push(`${where}: ingress[${i}] admits any source`);
      if (!rule.ports?.length) problems.push(`${where}: ingress[${i}] admits every port`);
    }
    const fromIngressController = (policy.spec.ingress ?? []).some(
      (rule) =>
        rule.ports?.some((p) => p.port === "http") &&
        sources(rule)?.every(
          (peer) => peer.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "ingress-nginx",
        ),
    );
    if (!fromIngressController)
      problems.push(`${where}: the API port is not limited to the ingress controller`);
    for (const [i, rule] of (policy.spec.egress ?? []).entries()) {
      const dns = rule.ports?.length && rule.ports.every((p) => p.port === 53);
      const database = rule.to?.length && rule.to.every((peer) => peer.ipBlock && !peer.ipBlock.except);
      const narrow = rule.to?.every((peer) => !peer.ipBlock?.cidr.endsWith("/0"));
      const publicHttps =
        rule.ports?.length &&
        rule.ports.every((p) => p.port === 443) &&
        rule.to?.length &&
        rule.to.every((peer) => PRIVATE_RANGES.every((range) => peer.ipBlock?.except?.includes(range)));
      if (!(((dns || database) && narrow) || publicHttps))
        problems.push(
          `${where}: egress[${i}] is neither DNS, PostgreSQL nor HTTPS to public addresses (Entra ID)`,
        );
    }
    if (!policy.spec.egress?.length)
      problems.push(`${where}: no egress rule (DNS and PostgreSQL are needed)`);
    return problems;
  });

/** The Ingress reaches the API port only; the metrics port stays in the cluster. */
export const exposure: Rule = (objects) =>
  of<V1Ingress>(objects, "Ingress").flatMap((ingress) => {
    const at = `Ingress ${ingress.metadata.name}`;
    const problems: string[] = [];
    const hosts = (ingress.spec?.rules ?? []).map((r) => r.host);
    const tlsHosts = (ingress.spec?.tls ?? []).flatMap((t) => t.hosts ?? []);
    for (const host of hosts)
      if (!host || !tlsHosts.includes(host)) problems.push(`${at}: host ${host} has no TLS`);
    if (!ingress.metadata.annotations?.["cert-manager.io/cluster-issuer"])
      problems.push(`${at}: no cert-manager.io/cluster-issuer annotation`);
    if (ingress.metadata.annotations?.["nginx.ingress.kubernetes.io/ssl-redirect"] !== "true")
      problems.push(`${at}: ssl-redirect is not on`);
    const services = of<V1Service>(objects, "Service");
    for (const rule of ingress.spec?.rules ?? [])
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend.service;
        const service = services.find((s) => s.metadata.name === backend?.name);
        const port = service?.spec?.ports?.find(
          (p) => p.name === backend?.port?.name || p.port === backend?.port?.number,
        );
        if (!port) problems.push(`${at}: ${rule.host}${path.path} routes to no port of a Service`);
        else if (port.targetPort !== "http")
          problems.push(
            `${at}: ${rule.host}${path.path} routes to ${service?.metadata?.name}:${port.targetPort}`,
          );
      }
    return problems;
  });

export const rules: Record<string, Rule> = {
  rolloutSafety,
  containers,
  restrictedPodSecurity,
  noSecretData,
  drainFitsGracePeriod,
  topologySpread,
  disruptionBudget,
  autoscaler,
  networkPolicy,
  exposure,
};
