// Labels on every container the Docker runtime creates: they let close() and a restarted platform find
// and remove exactly the containers of one platform network, and nothing else on the engine.
export const label = {
  network: "io.cloudjobhunt.network",
  role: "io.cloudjobhunt.role",
  podUid: "io.cloudjobhunt.pod.uid",
  podNamespace: "io.cloudjobhunt.pod.namespace",
  podName: "io.cloudjobhunt.pod.name",
  container: "io.cloudjobhunt.container",
  resources: "io.cloudjobhunt.resources",
} as const;

export type ContainerRole = "sandbox" | "app";

/** Engine list filter for `GET /containers/json?filters=...`. */
export function labelFilter(pairs: Record<string, string>): string {
  return JSON.stringify({ label: Object.entries(pairs).map(([key, value]) => `${key}=${value}`) });
}
