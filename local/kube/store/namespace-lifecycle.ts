// Namespace lifecycle: the admission check that refuses content in a missing or terminating namespace
// (plugin/pkg/admission/namespace/lifecycle), and termination as the namespace controller does it
// (pkg/controller/namespace/deletion): delete everything in it, remove it once empty. Here it happens
// synchronously in the store's delete path.
import type { KubeObject } from "../api/meta.ts";
import { StoreError } from "./object-store.ts";
import type { ObjectTables } from "./object-tables.ts";
import type { ResourceInfo, ResourceRegistry } from "./resources.ts";

export const namespacesRef = { group: "", version: "v1", resource: "namespaces" };

/** The store's writes the namespace lifecycle uses. */
export interface NamespaceWrites {
  delete(info: ResourceInfo, namespace: string, name: string): void;
  remove(info: ResourceInfo, object: KubeObject): void;
}

export class NamespaceLifecycle {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly tables: ObjectTables,
    private readonly writes: NamespaceWrites,
  ) {}

  /** 404 for a missing namespace, 403 for a terminating one. */
  checkOpen(namespace: string): void {
    const object = this.tables.find(namespacesRef, undefined, namespace);
    if (!object)
      throw new StoreError(404, "NotFound", `namespaces "${namespace}" not found`, {
        name: namespace,
        kind: "namespaces",
      });
    if (object.metadata.deletionTimestamp) {
      throw new StoreError(
        403,
        "Forbidden",
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name: namespace,
          kind: "namespaces",
        },
      );
    }
  }

  /** deleteAllContent: deletes every object in the namespace not already being deleted. */
  deleteAllContent(namespace: string): void {
    for (const info of this.#namespaced()) {
      for (const object of [...this.tables.of(info).values()]) {
        if (object.metadata.namespace !== namespace || object.metadata.deletionTimestamp) continue;
        if (!this.tables.find(info, namespace, object.metadata.name ?? "")) continue;
        this.writes.delete(info, namespace, object.metadata.name ?? "");
      }
    }
  }

  /** A terminating namespace without finalizers is removed once nothing is left in it. */
  finish(namespace: string): void {
    const namespaces = this.registry.byRef(namespacesRef);
    const object = this.tables.find(namespacesRef, undefined, namespace);
    if (!namespaces || !object?.metadata.deletionTimestamp || (object.metadata.finalizers ?? []).length > 0)
      return;
    for (const info of this.#namespaced()) {
      for (const item of this.tables.of(info).values()) if (item.metadata.namespace === namespace) return;
    }
    this.writes.remove(namespaces, object);
  }

  #namespaced(): ResourceInfo[] {
    return this.registry.all().filter((info) => info.namespaced);
  }
}
