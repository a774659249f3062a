// Cascading deletion through ownerReferences, as the garbage collector (pkg/controller/garbagecollector)
// does it, but synchronously in the store's delete path: Background removes dependents whose owners are all
// gone (one with another live owner only loses the reference), Orphan strips the reference, Foreground keeps
// the owner (finalizer `foregroundDeletion`) until its last dependent is gone.
import type { KubeObject } from "../api/meta.ts";
import type { DeleteOptions } from "./object-store.ts";
import type { ObjectTables } from "./object-tables.ts";
import type { ResourceInfo, ResourceRegistry } from "./resources.ts";

export const foregroundFinalizer = "foregroundDeletion";

/** The store's writes the collector uses. */
export interface CollectorWrites {
  delete(info: ResourceInfo, namespace: string | undefined, name: string, options: DeleteOptions): void;
  modify(info: ResourceInfo, next: KubeObject, previous: KubeObject): void;
  /** Takes an object whose deletion is complete out of the store (dependents and namespace react). */
  remove(info: ResourceInfo, object: KubeObject): void;
  /** No finalizer left and no grace period still running. */
  removable(info: ResourceInfo, object: KubeObject): boolean;
}

export class GarbageCollector {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly tables: ObjectTables,
    private readonly writes: CollectorWrites,
  ) {}

  /** attemptToDeleteItem for each dependent: deleted with `policy` unless another owner still lives. */
  deleteDependents(owner: KubeObject, policy: "Background" | "Foreground"): void {
    for (const { info, object } of this.#dependentsOf(owner)) {
      const others = (object.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== owner.metadata.uid);
      const current = this.tables.find(info, object.metadata.namespace, object.metadata.name ?? "");
      if (!current) continue;
      if (others.some((ref) => this.tables.hasUid(ref.uid))) {
        if (policy === "Background") this.#dropOwnerReference(info, current, owner.metadata.uid ?? "");
        continue;
      }
      if (current.metadata.deletionTimestamp && policy === "Background") continue;
      this.writes.delete(info, current.metadata.namespace, current.metadata.name ?? "", {
        propagationPolicy: policy,
      });
    }
  }

  /** orphanDependents: the owner's dependents lose their reference to it. */
  orphanDependents(owner: KubeObject): void {
    for (const { info, object } of this.#dependentsOf(owner))
      this.#dropOwnerReference(info, object, owner.metadata.uid ?? "");
  }

  /** A dependent is gone: a foreground-deleted owner may now go too. */
  dependentRemoved(dependent: KubeObject): void {
    for (const owner of dependent.metadata.ownerReferences ?? []) {
      for (const { info, object } of this.tables.objects(this.registry.all())) {
        if (object.metadata.uid !== owner.uid) continue;
        if (object.metadata.finalizers?.includes(foregroundFinalizer))
          this.finishForeground(info, object.metadata.namespace, object.metadata.name ?? "");
        break;
      }
    }
  }

  /** processDeletingDependentsItem: with no dependent left, the foregroundDeletion finalizer goes. */
  finishForeground(info: ResourceInfo, namespace: string | undefined, name: string): void {
    const object = this.tables.find(info, namespace, name);
    if (!object?.metadata.deletionTimestamp) return;
    const finalizers = object.metadata.finalizers ?? [];
    if (!finalizers.includes(foregroundFinalizer) || this.#dependentsOf(object).length > 0) return;
    const next = structuredClone(object);
    next.metadata.finalizers = finalizers.filter((finalizer) => finalizer !== foregroundFinalizer);
    if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
    if (this.writes.removable(info, next)) this.writes.remove(info, next);
    else this.writes.modify(info, next, object);
  }

  #dependentsOf(owner: KubeObject): { info: ResourceInfo; object: KubeObject }[] {
    const found: { info: ResourceInfo; object: KubeObject }[] = [];
    for (const entry of this.tables.objects(this.registry.all())) {
      const { object } = entry;
      if (owner.metadata.namespace && object.metadata.namespace !== owner.metadata.namespace) continue;
      if (object.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid)) found.push(entry);
    }
    return found;
  }

  #dropOwnerReference(info: ResourceInfo, object: KubeObject, uid: string): void {
    const next = structuredClone(object);
    next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
    if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
    this.writes.modify(info, next, object);
  }
}
