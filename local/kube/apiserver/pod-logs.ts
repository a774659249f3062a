// GET /api/v1/namespaces/<ns>/pods/<name>/log: the API server finds the pod and its container, then asks
// whoever runs pods (the kubelet registers itself as the PodLogSource) for the text.
import type { PodLogSource } from "../../component/component.ts";
import { resources } from "../api/resources.ts";
import type { MemoryStore } from "../store/memory-store.ts";
import { StoreError } from "../store/object-store.ts";
import { badRequest } from "./status.ts";

export async function podLogs(
  store: MemoryStore,
  source: PodLogSource | undefined,
  namespace: string,
  name: string,
  query: URLSearchParams,
): Promise<string> {
  const pod = store.get(resources.pods, namespace, name);
  if (!pod) throw new StoreError(404, "NotFound", `pods "${name}" not found`, { name, kind: "pods" });
  const containers = (pod.spec?.containers ?? []).map((container) => container.name);
  const container = query.get("container") ?? (containers.length === 1 ? containers[0] : undefined);
  if (!container)
    throw badRequest(
      `a container name must be specified for pod ${name}, choose one of: [${containers.join(" ")}]`,
    );
  if (!containers.includes(container))
    throw badRequest(`container ${container} is not valid for pod ${name}`);
  if (!source)
    throw new StoreError(
      400,
      "BadRequest",
      `container "${container}" in pod "${name}" is not running on any node`,
    );
  const tail = query.get("tailLines");
  try {
    return await source.logs(pod, {
      container,
      ...(tail !== null ? { tailLines: Number(tail) } : {}),
      ...(query.get("previous") === "true" ? { previous: true } : {}),
    });
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : String(error));
  }
}
