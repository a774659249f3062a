// The container environment as the kubelet resolves it (kubelet_pods.go makeEnvironmentVariables): envFrom
// first, then env; secretKeyRef/configMapKeyRef failures are CreateContainerConfigError with the real messages.
import type { V1Container } from "@kubernetes/client-node";
import type { Pod } from "../api/kinds.ts";
import { resources } from "../api/resources.ts";
import type { ObjectStore } from "../store/object-store.ts";

export class ConfigError extends Error {
  readonly reason = "CreateContainerConfigError";
}

interface Source {
  kind: "Secret" | "ConfigMap";
  data: Record<string, string>;
}

function lookup(
  store: ObjectStore,
  namespace: string,
  kind: Source["kind"],
  name: string,
): Source | undefined {
  const object = store.get(kind === "Secret" ? resources.secrets : resources.configmaps, namespace, name);
  if (!object) return undefined;
  const data: Record<string, string> = {};
  if (kind === "Secret") {
    for (const [key, value] of Object.entries((object.data ?? {}) as Record<string, string>))
      data[key] = Buffer.from(value, "base64").toString("utf8");
    for (const [key, value] of Object.entries((object.stringData ?? {}) as Record<string, string>))
      data[key] = value;
  } else {
    Object.assign(data, (object.data ?? {}) as Record<string, string>);
  }
  return { kind, data };
}

function fieldValue(pod: Pod, path: string, podIP: string | undefined, hostIP: string | undefined): string {
  switch (path) {
    case "metadata.name":
      return pod.metadata.name;
    case "metadata.namespace":
      return pod.metadata.namespace ?? "";
    case "metadata.uid":
      return pod.metadata.uid ?? "";
    case "spec.nodeName":
      return pod.spec.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec.serviceAccountName ?? "";
    case "status.podIP":
      return podIP ?? "";
    case "status.hostIP":
      return hostIP ?? "";
  }
  const label = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (label?.[1] && label[2])
    return (label[1] === "labels" ? pod.metadata.labels : pod.metadata.annotations)?.[label[2]] ?? "";
  throw new ConfigError(`unsupported fieldPath: ${path}`);
}

export function resolveEnv(
  store: ObjectStore,
  pod: Pod,
  container: V1Container,
  addresses: { podIP?: string; hostIP?: string } = {},
): Record<string, string> {
  const namespace = pod.metadata.namespace ?? "default";
  const env: Record<string, string> = {};
  const missing = (kind: Source["kind"], name: string) =>
    new ConfigError(`${kind === "Secret" ? "secret" : "configmap"} "${name}" not found`);

  for (const from of container.envFrom ?? []) {
    const ref = from.secretRef
      ? { kind: "Secret" as const, ...from.secretRef }
      : from.configMapRef
        ? { kind: "ConfigMap" as const, ...from.configMapRef }
        : undefined;
    if (!ref) continue;
    const source = lookup(store, namespace, ref.kind, ref.name ?? "");
    if (!source) {
      if (ref.optional) continue;
      throw missing(ref.kind, ref.name ?? "");
    }
    for (const [key, value] of Object.entries(source.data)) env[`${from.prefix ?? ""}${key}`] = value;
  }

  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    if (!from) {
      // $(VAR) references to earlier variables expand, as the kubelet's expansion does.
      env[variable.name] = (variable.value ?? "").replace(
        /\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
        (whole, name: string) => env[name] ?? whole,
      );
      continue;
    }
    const keyRef = from.secretKeyRef
      ? { kind: "Secret" as const, ...from.secretKeyRef }
      : from.configMapKeyRef
        ? { kind: "ConfigMap" as const, ...from.configMapKeyRef }
        : undefined;
    if (keyRef) {
      const source = lookup(store, namespace, keyRef.kind, keyRef.name ?? "");
      if (!source) {
        if (keyRef.optional) continue;
        throw missing(keyRef.kind, keyRef.name ?? "");
      }
      const value = source.data[keyRef.key];
      if (value === undefined) {
        if (keyRef.optional) continue;
        throw new ConfigError(
          `couldn't find key ${keyRef.key} in ${keyRef.kind} ${namespace}/${keyRef.name}`,
        );
      }
      env[variable.name] = value;
    } else if (from.fieldRef) {
      env[variable.name] = fieldValue(pod, from.fieldRef.fieldPath, addresses.podIP, addresses.hostIP);
    }
  }
  return env;
}
