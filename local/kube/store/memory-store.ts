// The platform's object store: the object mechanics of the real API server (uid, one global
// resourceVersion, generation on spec changes, optimistic concurrency, graceful pod deletion,
// finalizers, cascading deletion through ownerReferences, namespace termination), watches with a bounded
// history, and durable state under one folder.
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import { applyDefaults } from "./defaults.ts";
import { generatedName, nameError, timestamp } from "./names.ts";
import {
  type DeleteOptions,
  type KubeObject,
  type ListOptions,
  type ListResult,
  type ObjectStore,
  type ResourceRef,
  StoreError,
  type WatchEvent,
  type WriteOptions,
} from "./object-store.ts";
import { StateFiles, type StoredObject } from "./persistence.ts";
import {
  groupVersion,
  qualifiedKind,
  qualifiedResource,
  type ResourceInfo,
  ResourceRegistry,
  resourceKey,
} from "./resources.ts";
import { labelPredicate, type ObjectPredicate, parseFieldSelector, parseLabelSelector } from "./selectors.ts";
import { WatchHub } from "./watch-hub.ts";

export interface MemoryStoreOptions {
  /** Folder for durable state; without it the store lives in memory only. */
  stateDir?: string;
  /** Watch history kept for resuming watches (events, all resources together). */
  historyLimit?: number;
  /** The platform clock (tests speed it up); defaults to the wall clock. */
  now?: () => Date;
  /** Log records after which the log is folded into a fresh snapshot. */
  compactEvery?: number;
}

const initialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];
const foregroundFinalizer = "foregroundDeletion";

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ""}/${name}`;
}

/** Everything but metadata and status: what the real server's generation tracks. */
function specOf(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

export class MemoryStore implements ObjectStore {
  readonly registry = new ResourceRegistry();
  readonly #objects = new Map<string, Map<string, KubeObject>>();
  readonly #files: StateFiles | undefined;
  readonly #hub: WatchHub;
  readonly #now: () => Date;
  readonly #compactEvery: number;
  #rv = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#compactEvery = options.compactEvery ?? 5000;
    this.#files = options.stateDir === undefined ? undefined : new StateFiles(options.stateDir);
    const loaded = this.#files?.load() ?? { resourceVersion: 0, objects: [] };
    this.#rv = loaded.resourceVersion;
    for (const stored of loaded.objects) {
      if (stored.group === "apiextensions.k8s.io") this.registry.registerDefinition(stored.object);
      this.#table(stored).set(
        objectKey(stored.object.metadata.namespace, stored.object.metadata.name ?? ""),
        stored.object,
      );
    }
    this.#hub = new WatchHub(options.historyLimit ?? 10_000, this.#rv);
    const namespaces = { group: "", version: "v1", resource: "namespaces" };
    for (const name of initialNamespaces) {
      if (!this.get(namespaces, undefined, name)) {
        this.create(namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
      }
    }
  }

  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** The resource's description, or 404 as the real server answers an unknown resource. */
  resolve(ref: ResourceRef): ResourceInfo {
    const info = this.registry.byRef(ref);
    if (!info) throw new StoreError(404, "NotFound", "the server could not find the requested resource");
    return info;
  }

  get(ref: ResourceRef, namespace: string | undefined, name: string): KubeObject | undefined {
    const info = this.resolve(ref);
    const found = this.#table(info).get(objectKey(info.namespaced ? namespace : undefined, name));
    return found === undefined ? undefined : structuredClone(found);
  }

  list(ref: ResourceRef, options: ListOptions = {}): ListResult {
    const info = this.resolve(ref);
    const predicate = this.#predicate(info, options);
    const items = [...this.#table(info).values()]
      .filter(predicate)
      .sort((a, b) =>
        objectKey(a.metadata.namespace, a.metadata.name ?? "").localeCompare(
          objectKey(b.metadata.namespace, b.metadata.name ?? ""),
        ),
      )
      .map((item) => structuredClone(item));
    return { items, resourceVersion: this.resourceVersion };
  }

  create(ref: ResourceRef, object: KubeObject, options: WriteOptions = {}): KubeObject {
    const info = this.resolve(ref);
    const next = structuredClone(object);
    next.apiVersion = groupVersion(info);
    next.kind = info.kind;
    const meta = next.metadata ?? {};
    next.metadata = meta;
    if (!info.namespaced) delete meta.namespace;
    else if (!meta.namespace)
      throw this.#invalid(info, meta.name ?? "", "metadata.namespace: Required value");
    if (!meta.name && meta.generateName) meta.name = this.#freeName(info, meta.namespace, meta.generateName);
    if (!meta.name)
      throw this.#invalid(info, "", "metadata.name: Required value: name or generateName is required");
    const badName = nameError(meta.name, info.kind === "Namespace");
    if (badName) throw this.#invalid(info, meta.name, `metadata.name: ${badName}`);
    if (info.namespaced && meta.namespace) this.#checkNamespaceOpen(meta.namespace);
    if (this.#table(info).has(objectKey(meta.namespace, meta.name))) {
      throw new StoreError(409, "AlreadyExists", `${qualifiedResource(info)} "${meta.name}" already exists`, {
        name: meta.name,
        group: info.group,
        kind: info.resource,
      });
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = timestamp(this.#now()) as unknown as Date;
    meta.generation = 1;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    // As the real server's PrepareForCreate: a new object's status starts empty (`status: {}`).
    if (info.status) next.status = {};
    applyDefaults(next);
    if (options.dryRun) return next;
    this.#commit(info, next, "ADDED");
    if (info.kind === "CustomResourceDefinition") this.registry.registerDefinition(next);
    return structuredClone(next);
  }

  update(ref: ResourceRef, object: KubeObject, options: WriteOptions = {}): KubeObject {
    const info = this.resolve(ref);
    const name = object.metadata?.name ?? "";
    const namespace = info.namespaced ? object.metadata?.namespace : undefined;
    const existing = this.#table(info).get(objectKey(namespace, name));
    if (!existing) throw this.#notFound(info, name);
    const wanted = object.metadata?.resourceVersion;
    if (wanted && wanted !== existing.metadata.resourceVersion) throw this.#conflict(info, name);
    if (object.metadata?.uid && object.metadata.uid !== existing.metadata.uid) {
      throw this.#conflict(
        info,
        name,
        `Precondition failed: UID in precondition: ${object.metadata.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    let next: KubeObject;
    if (options.subresource === "status") {
      next = structuredClone(existing);
      next.status = structuredClone(object.status);
      // The API server records the status writer's field ownership.
      if (object.metadata?.managedFields)
        next.metadata.managedFields = structuredClone(object.metadata.managedFields);
    } else {
      next = structuredClone(object);
      next.apiVersion = existing.apiVersion;
      next.kind = existing.kind;
      next.metadata = {
        ...next.metadata,
        name: existing.metadata.name,
        namespace: existing.metadata.namespace,
        uid: existing.metadata.uid,
        creationTimestamp: existing.metadata.creationTimestamp,
        generation: existing.metadata.generation,
        deletionTimestamp: existing.metadata.deletionTimestamp,
        deletionGracePeriodSeconds: existing.metadata.deletionGracePeriodSeconds,
      };
      for (const key of ["deletionTimestamp", "deletionGracePeriodSeconds", "namespace"] as const) {
        if (next.metadata[key] === undefined) delete next.metadata[key];
      }
      if (info.status) {
        if (existing.status === undefined) delete next.status;
        else next.status = structuredClone(existing.status);
      }
      applyDefaults(next);
    }
    next.metadata.resourceVersion = existing.metadata.resourceVersion;
    if (isDeepStrictEqual(next, existing)) return structuredClone(existing);
    if (!isDeepStrictEqual(specOf(next), specOf(existing)))
      next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    if (options.dryRun) return next;
    if (next.metadata.deletionTimestamp && this.#removable(info, next)) {
      this.#remove(info, next);
      return structuredClone(next);
    }
    this.#commit(info, next, "MODIFIED", existing);
    return structuredClone(next);
  }

  delete(
    ref: ResourceRef,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): KubeObject | undefined {
    const info = this.resolve(ref);
    const existing = this.#table(info).get(objectKey(info.namespaced ? namespace : undefined, name));
    if (!existing) throw this.#notFound(info, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid && uid !== existing.metadata.uid) {
      throw this.#conflict(
        info,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (resourceVersion && resourceVersion !== existing.metadata.resourceVersion) {
      throw this.#conflict(
        info,
        name,
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    const policy = options.propagationPolicy ?? "Background";
    const grace = info.kind === "Pod" ? this.#podGrace(existing, options.gracePeriodSeconds) : 0;
    const finalizers = [...(existing.metadata.finalizers ?? [])];
    if (policy === "Foreground" && !finalizers.includes(foregroundFinalizer))
      finalizers.push(foregroundFinalizer);
    const graceful = grace > 0 || finalizers.length > 0 || info.kind === "Namespace";
    if (options.dryRun) return structuredClone(existing);
    if (policy === "Orphan") this.#orphanDependents(existing);
    if (!graceful) {
      this.#remove(info, existing);
      return structuredClone(existing);
    }
    const next = structuredClone(existing);
    const deletingAlready = next.metadata.deletionTimestamp !== undefined;
    const currentGrace = next.metadata.deletionGracePeriodSeconds;
    if (!deletingAlready || (currentGrace !== undefined && grace < currentGrace)) {
      next.metadata.deletionTimestamp = timestamp(
        new Date(this.#now().getTime() + grace * 1000),
      ) as unknown as Date;
      next.metadata.deletionGracePeriodSeconds = grace;
      next.metadata.generation = (next.metadata.generation ?? 0) + 1;
    }
    next.metadata.finalizers = finalizers;
    if (finalizers.length === 0) delete next.metadata.finalizers;
    if (info.kind === "Namespace")
      next.status = { ...(next.status as object | undefined), phase: "Terminating" };
    if (!isDeepStrictEqual(next, existing)) this.#commit(info, next, "MODIFIED", existing);
    if (info.kind === "Namespace") this.#emptyNamespace(name);
    if (policy === "Foreground") this.#deleteDependents(next, "Foreground");
    this.#finishIfReady(info, next.metadata.namespace, name);
    return structuredClone(this.#table(info).get(objectKey(next.metadata.namespace, name)) ?? next);
  }

  watch(
    ref: ResourceRef,
    options: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
  ): () => void {
    const info = this.resolve(ref);
    const predicate = this.#predicate(info, options);
    const since =
      options.resourceVersion === undefined ||
      options.resourceVersion === "" ||
      options.resourceVersion === "0"
        ? undefined
        : Number(options.resourceVersion);
    if (since !== undefined && !Number.isInteger(since)) {
      throw new StoreError(400, "BadRequest", `invalid resource version: ${options.resourceVersion}`);
    }
    return this.#hub.subscribe(resourceKey(info), predicate, since, onEvent);
  }

  /** Writes a final snapshot and releases the state files. */
  close(): void {
    if (!this.#files) return;
    this.#files.compact(this.#rv, this.#everything());
    this.#files.close();
  }

  #table(ref: { group: string; resource: string }): Map<string, KubeObject> {
    const key = resourceKey(ref);
    let table = this.#objects.get(key);
    if (!table) {
      table = new Map();
      this.#objects.set(key, table);
    }
    return table;
  }

  #everything(): StoredObject[] {
    const all: StoredObject[] = [];
    for (const info of this.registry.all()) {
      for (const object of this.#table(info).values())
        all.push({ group: info.group, resource: info.resource, object });
    }
    return all;
  }

  #predicate(info: ResourceInfo, options: ListOptions): ObjectPredicate {
    const tests: ObjectPredicate[] = [];
    if (info.namespaced && options.namespace) {
      const namespace = options.namespace;
      tests.push((object) => object.metadata.namespace === namespace);
    }
    if (options.matchLabels) {
      tests.push(
        labelPredicate(Object.entries(options.matchLabels).map(([key, value]) => ({ key, op: "=", value }))),
      );
    }
    if (options.labelSelector) tests.push(labelPredicate(parseLabelSelector(options.labelSelector)));
    if (options.fieldSelector) tests.push(parseFieldSelector(options.fieldSelector, info.kind));
    return (object) => tests.every((test) => test(object));
  }

  #commit(info: ResourceInfo, object: KubeObject, type: "ADDED" | "MODIFIED", previous?: KubeObject): void {
    this.#rv++;
    object.metadata.resourceVersion = String(this.#rv);
    this.#table(info).set(objectKey(object.metadata.namespace, object.metadata.name ?? ""), object);
    this.#persist(info, object, false);
    this.#hub.publish({ rv: this.#rv, key: resourceKey(info), type, object, previous });
  }

  /** Takes the object out of the store, then lets dependents, owners and its namespace react. */
  #remove(info: ResourceInfo, object: KubeObject): void {
    const key = objectKey(object.metadata.namespace, object.metadata.name ?? "");
    if (!this.#table(info).delete(key)) return;
    this.#rv++;
    const gone = structuredClone(object);
    gone.metadata.resourceVersion = String(this.#rv);
    this.#persist(info, gone, true);
    this.#hub.publish({ rv: this.#rv, key: resourceKey(info), type: "DELETED", object: gone });
    this.#deleteDependents(gone, "Background");
    for (const owner of gone.metadata.ownerReferences ?? []) this.#finishForegroundOwner(owner.uid);
    if (gone.metadata.namespace) this.#finishNamespace(gone.metadata.namespace);
  }

  #persist(info: ResourceInfo, object: KubeObject, removed: boolean): void {
    if (!this.#files) return;
    this.#files.append(this.#rv, info.group, info.resource, object, removed);
    if (this.#files.logRecords >= this.#compactEvery) this.#files.compact(this.#rv, this.#everything());
  }

  #dependentsOf(owner: KubeObject): { info: ResourceInfo; object: KubeObject }[] {
    const found: { info: ResourceInfo; object: KubeObject }[] = [];
    for (const info of this.registry.all()) {
      for (const object of this.#table(info).values()) {
        if (owner.metadata.namespace && object.metadata.namespace !== owner.metadata.namespace) continue;
        if (object.metadata.ownerReferences?.some((ref) => ref.uid === owner.metadata.uid))
          found.push({ info, object });
      }
    }
    return found;
  }

  #ownerExists(uid: string): boolean {
    for (const table of this.#objects.values()) {
      for (const object of table.values()) if (object.metadata.uid === uid) return true;
    }
    return false;
  }

  /** The garbage collector's cascade: dependents with no other live owner are deleted with `policy`. */
  #deleteDependents(owner: KubeObject, policy: "Background" | "Foreground"): void {
    for (const { info, object } of this.#dependentsOf(owner)) {
      const others = (object.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== owner.metadata.uid);
      const current = this.#table(info).get(objectKey(object.metadata.namespace, object.metadata.name ?? ""));
      if (!current) continue;
      if (others.some((ref) => this.#ownerExists(ref.uid))) {
        if (policy === "Background") this.#dropOwnerReference(info, current, owner.metadata.uid ?? "");
        continue;
      }
      if (current.metadata.deletionTimestamp && policy === "Background") continue;
      this.delete(info, current.metadata.namespace, current.metadata.name ?? "", {
        propagationPolicy: policy,
      });
    }
  }

  #orphanDependents(owner: KubeObject): void {
    for (const { info, object } of this.#dependentsOf(owner))
      this.#dropOwnerReference(info, object, owner.metadata.uid ?? "");
  }

  #dropOwnerReference(info: ResourceInfo, object: KubeObject, uid: string): void {
    const next = structuredClone(object);
    next.metadata.ownerReferences = (next.metadata.ownerReferences ?? []).filter((ref) => ref.uid !== uid);
    if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
    this.#commit(info, next, "MODIFIED", object);
  }

  /** A foreground-deleted owner goes once its last dependent is gone. */
  #finishForegroundOwner(uid: string): void {
    for (const info of this.registry.all()) {
      for (const object of this.#table(info).values()) {
        if (object.metadata.uid !== uid) continue;
        if (!object.metadata.finalizers?.includes(foregroundFinalizer)) return;
        this.#finishIfReady(info, object.metadata.namespace, object.metadata.name ?? "");
        return;
      }
    }
  }

  #finishIfReady(info: ResourceInfo, namespace: string | undefined, name: string): void {
    const object = this.#table(info).get(objectKey(namespace, name));
    if (!object?.metadata.deletionTimestamp) return;
    const finalizers = object.metadata.finalizers ?? [];
    if (finalizers.includes(foregroundFinalizer) && this.#dependentsOf(object).length === 0) {
      const next = structuredClone(object);
      next.metadata.finalizers = finalizers.filter((finalizer) => finalizer !== foregroundFinalizer);
      if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
      if (this.#removable(info, next)) {
        this.#remove(info, next);
        return;
      }
      this.#commit(info, next, "MODIFIED", object);
      return;
    }
    if (info.kind === "Namespace" && finalizers.length === 0) this.#finishNamespace(name);
  }

  #emptyNamespace(namespace: string): void {
    for (const info of this.registry.all()) {
      if (!info.namespaced) continue;
      for (const object of [...this.#table(info).values()]) {
        if (object.metadata.namespace !== namespace || object.metadata.deletionTimestamp) continue;
        if (!this.#table(info).has(objectKey(namespace, object.metadata.name ?? ""))) continue;
        this.delete(info, namespace, object.metadata.name ?? "");
      }
    }
  }

  /** A terminating namespace is removed once nothing is left in it. */
  #finishNamespace(namespace: string): void {
    const namespaces = this.resolve({ group: "", version: "v1", resource: "namespaces" });
    const object = this.#table(namespaces).get(objectKey(undefined, namespace));
    if (!object?.metadata.deletionTimestamp || (object.metadata.finalizers ?? []).length > 0) return;
    for (const info of this.registry.all()) {
      if (!info.namespaced) continue;
      for (const item of this.#table(info).values()) if (item.metadata.namespace === namespace) return;
    }
    this.#remove(namespaces, object);
  }

  #checkNamespaceOpen(namespace: string): void {
    const object = this.#table({ group: "", resource: "namespaces" }).get(objectKey(undefined, namespace));
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

  /** No finalizer left and, for a pod, no grace period still running (the kubelet ends it with 0). */
  #removable(info: ResourceInfo, object: KubeObject): boolean {
    if ((object.metadata.finalizers ?? []).length > 0) return false;
    return info.kind !== "Pod" || (object.metadata.deletionGracePeriodSeconds ?? 0) === 0;
  }

  /** Pods that never ran, or already finished, go at once, as on the real server. */
  #podGrace(pod: KubeObject, requested: number | undefined): number {
    const spec = pod.spec as { nodeName?: string; terminationGracePeriodSeconds?: number } | undefined;
    const phase = (pod.status as { phase?: string } | undefined)?.phase;
    if (!spec?.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
    return Math.max(0, requested ?? spec.terminationGracePeriodSeconds ?? 30);
  }

  #freeName(info: ResourceInfo, namespace: string | undefined, prefix: string): string {
    for (;;) {
      const name = generatedName(prefix);
      if (!this.#table(info).has(objectKey(namespace, name))) return name;
    }
  }

  #notFound(info: ResourceInfo, name: string): StoreError {
    return new StoreError(404, "NotFound", `${qualifiedResource(info)} "${name}" not found`, {
      name,
      group: info.group,
      kind: info.resource,
    });
  }

  #conflict(info: ResourceInfo, name: string, message?: string): StoreError {
    return new StoreError(
      409,
      "Conflict",
      message ??
        `Operation cannot be fulfilled on ${qualifiedResource(info)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: info.group, kind: info.resource },
    );
  }

  #invalid(info: ResourceInfo, name: string, detail: string): StoreError {
    const field = detail.slice(0, detail.indexOf(":"));
    return new StoreError(422, "Invalid", `${qualifiedKind(info)} "${name}" is invalid: ${detail}`, {
      name,
      group: info.group,
      kind: info.kind,
      causes: [{ reason: "FieldValueInvalid", message: detail.slice(field.length + 2), field }],
    });
  }
}
