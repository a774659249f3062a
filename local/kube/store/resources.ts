// The resource table: every kind the platform serves, as discovery and routing see it. Built-in kinds
// come first; the CRD-like kinds the project's manifests use are stored generically (no schema), and a
// CustomResourceDefinition created at run time registers its kind the same way.
import type { ResourceRef } from "../api/resources.ts";

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural, lower case: the URL segment. */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Served with a /status subresource: PUT on the main resource keeps the stored status. */
  status: boolean;
  /** Served with a /scale subresource (autoscaling/v1 Scale). */
  scale: boolean;
  categories: string[];
  /** True for kinds client-node's generated models describe (strict field validation applies). */
  builtIn: boolean;
}

type Entry = Omit<ResourceInfo, "singular" | "status" | "scale" | "categories" | "builtIn"> &
  Partial<Pick<ResourceInfo, "status" | "scale" | "categories" | "builtIn">>;

const builtIn: Entry[] = [
  {
    group: "",
    version: "v1",
    kind: "Namespace",
    resource: "namespaces",
    namespaced: false,
    shortNames: ["ns"],
    status: true,
  },
  {
    group: "",
    version: "v1",
    kind: "Node",
    resource: "nodes",
    namespaced: false,
    shortNames: ["no"],
    status: true,
  },
  {
    group: "",
    version: "v1",
    kind: "Pod",
    resource: "pods",
    namespaced: true,
    shortNames: ["po"],
    status: true,
    categories: ["all"],
  },
  {
    group: "",
    version: "v1",
    kind: "Service",
    resource: "services",
    namespaced: true,
    shortNames: ["svc"],
    status: true,
    categories: ["all"],
  },
  {
    group: "",
    version: "v1",
    kind: "Endpoints",
    resource: "endpoints",
    namespaced: true,
    shortNames: ["ep"],
  },
  {
    group: "",
    version: "v1",
    kind: "ConfigMap",
    resource: "configmaps",
    namespaced: true,
    shortNames: ["cm"],
  },
  { group: "", version: "v1", kind: "Secret", resource: "secrets", namespaced: true, shortNames: [] },
  {
    group: "",
    version: "v1",
    kind: "ServiceAccount",
    resource: "serviceaccounts",
    namespaced: true,
    shortNames: ["sa"],
  },
  { group: "", version: "v1", kind: "Event", resource: "events", namespaced: true, shortNames: ["ev"] },
  {
    group: "",
    version: "v1",
    kind: "ResourceQuota",
    resource: "resourcequotas",
    namespaced: true,
    shortNames: ["quota"],
    status: true,
  },
  {
    group: "",
    version: "v1",
    kind: "LimitRange",
    resource: "limitranges",
    namespaced: true,
    shortNames: ["limits"],
  },
  {
    group: "apps",
    version: "v1",
    kind: "Deployment",
    resource: "deployments",
    namespaced: true,
    shortNames: ["deploy"],
    status: true,
    scale: true,
    categories: ["all"],
  },
  {
    group: "apps",
    version: "v1",
    kind: "ReplicaSet",
    resource: "replicasets",
    namespaced: true,
    shortNames: ["rs"],
    status: true,
    scale: true,
    categories: ["all"],
  },
  {
    group: "apps",
    version: "v1",
    kind: "StatefulSet",
    resource: "statefulsets",
    namespaced: true,
    shortNames: ["sts"],
    status: true,
    scale: true,
    categories: ["all"],
  },
  {
    group: "apps",
    version: "v1",
    kind: "DaemonSet",
    resource: "daemonsets",
    namespaced: true,
    shortNames: ["ds"],
    status: true,
    categories: ["all"],
  },
  {
    group: "apps",
    version: "v1",
    kind: "ControllerRevision",
    resource: "controllerrevisions",
    namespaced: true,
    shortNames: [],
  },
  {
    group: "batch",
    version: "v1",
    kind: "Job",
    resource: "jobs",
    namespaced: true,
    shortNames: [],
    status: true,
    categories: ["all"],
  },
  {
    group: "batch",
    version: "v1",
    kind: "CronJob",
    resource: "cronjobs",
    namespaced: true,
    shortNames: ["cj"],
    status: true,
    categories: ["all"],
  },
  {
    group: "discovery.k8s.io",
    version: "v1",
    kind: "EndpointSlice",
    resource: "endpointslices",
    namespaced: true,
    shortNames: [],
  },
  {
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    resource: "leases",
    namespaced: true,
    shortNames: [],
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "Ingress",
    resource: "ingresses",
    namespaced: true,
    shortNames: ["ing"],
    status: true,
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "IngressClass",
    resource: "ingressclasses",
    namespaced: false,
    shortNames: [],
  },
  {
    group: "networking.k8s.io",
    version: "v1",
    kind: "NetworkPolicy",
    resource: "networkpolicies",
    namespaced: true,
    shortNames: ["netpol"],
  },
  {
    group: "autoscaling",
    version: "v2",
    kind: "HorizontalPodAutoscaler",
    resource: "horizontalpodautoscalers",
    namespaced: true,
    shortNames: ["hpa"],
    status: true,
    categories: ["all"],
  },
  {
    group: "policy",
    version: "v1",
    kind: "PodDisruptionBudget",
    resource: "poddisruptionbudgets",
    namespaced: true,
    shortNames: ["pdb"],
    status: true,
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "Role",
    resource: "roles",
    namespaced: true,
    shortNames: [],
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "RoleBinding",
    resource: "rolebindings",
    namespaced: true,
    shortNames: [],
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRole",
    resource: "clusterroles",
    namespaced: false,
    shortNames: [],
  },
  {
    group: "rbac.authorization.k8s.io",
    version: "v1",
    kind: "ClusterRoleBinding",
    resource: "clusterrolebindings",
    namespaced: false,
    shortNames: [],
  },
  {
    group: "scheduling.k8s.io",
    version: "v1",
    kind: "PriorityClass",
    resource: "priorityclasses",
    namespaced: false,
    shortNames: ["pc"],
  },
  {
    group: "storage.k8s.io",
    version: "v1",
    kind: "StorageClass",
    resource: "storageclasses",
    namespaced: false,
    shortNames: ["sc"],
  },
  {
    group: "apiextensions.k8s.io",
    version: "v1",
    kind: "CustomResourceDefinition",
    resource: "customresourcedefinitions",
    namespaced: false,
    shortNames: ["crd", "crds"],
    status: true,
  },
];

/** Kinds the project's manifests use that real clusters get from CRDs: stored without a schema. */
const generic: Entry[] = [
  {
    group: "cert-manager.io",
    version: "v1",
    kind: "Certificate",
    resource: "certificates",
    namespaced: true,
    shortNames: ["cert", "certs"],
    status: true,
  },
  {
    group: "cert-manager.io",
    version: "v1",
    kind: "CertificateRequest",
    resource: "certificaterequests",
    namespaced: true,
    shortNames: ["cr", "crs"],
    status: true,
  },
  {
    group: "cert-manager.io",
    version: "v1",
    kind: "Issuer",
    resource: "issuers",
    namespaced: true,
    shortNames: [],
    status: true,
  },
  {
    group: "cert-manager.io",
    version: "v1",
    kind: "ClusterIssuer",
    resource: "clusterissuers",
    namespaced: false,
    shortNames: [],
    status: true,
  },
  {
    group: "monitoring.coreos.com",
    version: "v1",
    kind: "ServiceMonitor",
    resource: "servicemonitors",
    namespaced: true,
    shortNames: ["smon"],
  },
  {
    group: "monitoring.coreos.com",
    version: "v1",
    kind: "PodMonitor",
    resource: "podmonitors",
    namespaced: true,
    shortNames: ["pmon"],
  },
  {
    group: "monitoring.coreos.com",
    version: "v1",
    kind: "PrometheusRule",
    resource: "prometheusrules",
    namespaced: true,
    shortNames: ["promrule"],
  },
  // Azure Monitor managed Prometheus' own ServiceMonitor (its add-on installs the CRD on AKS); no short name,
  // so `smon` stays prometheus-operator's.
  {
    group: "azmonitoring.coreos.com",
    version: "v1",
    kind: "ServiceMonitor",
    resource: "servicemonitors",
    namespaced: true,
    shortNames: [],
  },
  {
    group: "secrets-store.csi.x-k8s.io",
    version: "v1",
    kind: "SecretProviderClass",
    resource: "secretproviderclasses",
    namespaced: true,
    shortNames: [],
    status: false,
  },
];

function complete(entry: Entry, isBuiltIn: boolean): ResourceInfo {
  return {
    status: false,
    scale: false,
    categories: [],
    builtIn: isBuiltIn,
    ...entry,
    singular: entry.kind.toLowerCase(),
  };
}

export function groupVersion(info: { group: string; version: string }): string {
  return info.group === "" ? info.version : `${info.group}/${info.version}`;
}

/** "deployments.apps", "pods": the name the real server uses in its messages. */
export function qualifiedResource(info: { group: string; resource: string }): string {
  return info.group === "" ? info.resource : `${info.resource}.${info.group}`;
}

/** "Deployment.apps", "Pod": the kind as validation messages name it. */
export function qualifiedKind(info: { group: string; kind: string }): string {
  return info.group === "" ? info.kind : `${info.kind}.${info.group}`;
}

export function resourceKey(ref: { group: string; resource: string }): string {
  return `${ref.group}/${ref.resource}`;
}

/** Splits "apps/v1" or "v1" into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf("/");
  return slash < 0
    ? { group: "", version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export class ResourceRegistry {
  readonly #byKey = new Map<string, ResourceInfo>();

  constructor() {
    for (const entry of builtIn) this.register(complete(entry, true));
    for (const entry of generic) this.register(complete(entry, false));
  }

  register(info: ResourceInfo): void {
    this.#byKey.set(`${groupVersion(info)}/${info.resource}`, info);
  }

  all(): ResourceInfo[] {
    return [...this.#byKey.values()];
  }

  byRef(ref: ResourceRef): ResourceInfo | undefined {
    return this.#byKey.get(`${groupVersion(ref)}/${ref.resource}`);
  }

  byKind(apiVersion: string, kind: string): ResourceInfo | undefined {
    const { group, version } = parseApiVersion(apiVersion);
    return this.all().find((info) => info.group === group && info.version === version && info.kind === kind);
  }

  /** Registers the kind a CustomResourceDefinition describes (its storage version), schema-less. */
  registerDefinition(crd: unknown): ResourceInfo | undefined {
    const spec = asRecord(asRecord(crd)?.spec);
    const names = asRecord(spec?.names);
    const versions = Array.isArray(spec?.versions) ? spec.versions.map(asRecord) : [];
    const served = versions.find((v) => v?.storage === true) ?? versions[0];
    if (!spec || !names || !served || typeof spec.group !== "string" || typeof served.name !== "string")
      return undefined;
    if (typeof names.kind !== "string" || typeof names.plural !== "string") return undefined;
    const info: ResourceInfo = {
      group: spec.group,
      version: served.name,
      kind: names.kind,
      resource: names.plural,
      singular: typeof names.singular === "string" ? names.singular : names.kind.toLowerCase(),
      namespaced: spec.scope !== "Cluster",
      shortNames: Array.isArray(names.shortNames)
        ? names.shortNames.filter((s) => typeof s === "string")
        : [],
      status: asRecord(asRecord(served.subresources)?.status) !== undefined,
      scale: false,
      categories: Array.isArray(names.categories)
        ? names.categories.filter((s) => typeof s === "string")
        : [],
      builtIn: false,
    };
    this.register(info);
    return info;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
