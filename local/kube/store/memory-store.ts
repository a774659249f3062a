// The platform's object store, as the API server's generic registry (k8s.io/apiserver
// pkg/registry/generic/registry/store.go) keeps objects: uid, one global resourceVersion, generation on
// spec changes, optimistic concurrency, graceful pod deletion, finalizers; watches with a bounded history,
// and durable state under one folder. Cascading deletion is the garbage collector's
// (`garbage-collector.ts`), namespace termination the namespace lifecycle's (`namespace-lifecycle.ts`).
import { randomUUID } from "node:crypto";
import { isDeepStrictEqual } from "node:util";
import type { Pod } from "../api/kinds.ts";
import type { KubeObject } from "../api/meta.ts";
import { type ObjectOf, type ResourceRef, resources } from "../api/resources.ts";
import { applyDefaults } from "./defaults.ts";
import { foregroundFinalizer, GarbageCollector } from "./garbage-collector.ts";
import { generatedName, nameError, timestamp } from "./names.ts";
import { NamespaceLifecycle, namespacesRef } from "./namespace-lifecycle.ts";
import {
  type DeleteOptions,
  type ListOptions,
  type ListResult,
  type ObjectStore,
  StoreError,
  type WatchEvent,
  type WriteOptions,
} from "./object-store.ts";
import { ObjectTables, objectKey } from "./object-tables.ts";
import { StateFiles, type StoredObject } from "./persistence.ts";
import {
  groupVersion,
  qualifiedResource,
  type ResourceInfo,
  ResourceRegistry,
  resourceKey,
} from "./resources.ts";
import { listPredicate } from "./selectors.ts";
import { conflict, invalid, notFound } from "./store-errors.ts";
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

/** Everything but metadata and status: what the real server's generation tracks. */
function specOf(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object;
  return rest;
}

/**
 * Whether a stored object is of the type resource `ref` holds (`info` describes it): every create and update
 * writes apiVersion and kind from the resource, so this holds for every object in the resource's table.
 */
function isObjectOf<R extends ResourceRef>(
  ref: R,
  info: ResourceInfo,
  object: KubeObject,
): object is KubeObject & ObjectOf<R> {
  return (
    ref.group === info.group &&
    ref.resource === info.resource &&
    object.apiVersion === groupVersion(info) &&
    object.kind === info.kind
  );
}

/** Pods that never ran, or already finished, go at once, as on the real server. */
function podGrace(pod: Pod, requested: number | undefined): number {
  const phase = pod.status?.phase;
  if (!pod.spec?.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  return Math.max(0, requested ?? pod.spec.terminationGracePeriodSeconds ?? 30);
}

export class MemoryStore implements ObjectStore {
  readonly registry = new ResourceRegistry();
  readonly #tables = new ObjectTables();
  readonly #files: StateFiles | undefined;
  readonly #hub: WatchHub;
  readonly #now: () => Date;
  readonly #compactEvery: number;
  readonly #gc: GarbageCollector;
  readonly #namespaces: NamespaceLifecycle;
  #rv = 0;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#compactEvery = options.compactEvery ?? 5000;
    this.#files = options.stateDir === undefined ? undefined : new StateFiles(options.stateDir);
    this.#gc = new GarbageCollector(this.registry, this.#tables, {
      delete: (info, namespace, name, deleteOptions) => this.delete(info, namespace, name, deleteOptions),
      modify: (info, next, previous) => this.#commit(info, next, "MODIFIED", previous),
      remove: (info, object) => this.#remove(info, object),
      removable: (info, object) => this.#removable(info, object),
    });
    this.#namespaces = new NamespaceLifecycle(this.registry, this.#tables, {
      delete: (info, namespace, name) => this.delete(info, namespace, name),
      remove: (info, object) => this.#remove(info, object),
    });
    const loaded = this.#files?.load() ?? { resourceVersion: 0, objects: [] };
    this.#rv = loaded.resourceVersion;
    for (const stored of loaded.objects) {
      if (stored.group === "apiextensions.k8s.io") this.registry.registerDefinition(stored.object);
      this.#tables
        .of(stored)
        .set(objectKey(stored.object.metadata.namespace, stored.object.metadata.name ?? ""), stored.object);
    }
    this.#hub = new WatchHub(options.historyLimit ?? 10_000, this.#rv);
    for (const name of initialNamespaces) {
      if (!this.get(namespacesRef, undefined, name)) {
        this.create(namespacesRef, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
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

  get<R extends ResourceRef>(ref: R, namespace: string | undefined, name: string): ObjectOf<R> | undefined {
    const info = this.resolve(ref);
    const found = this.#tables.find(info, info.namespaced ? namespace : undefined, name);
    return found === undefined ? undefined : this.#typed(ref, info, found);
  }

  list<R extends ResourceRef>(ref: R, options: ListOptions = {}): ListResult<ObjectOf<R>> {
    const info = this.resolve(ref);
    const predicate = listPredicate(info, options);
    const items = [...this.#tables.of(info).values()]
      .filter(predicate)
      .sort((a, b) =>
        objectKey(a.metadata.namespace, a.metadata.name ?? "").localeCompare(
          objectKey(b.metadata.namespace, b.metadata.name ?? ""),
        ),
      )
      .map((item) => this.#typed(ref, info, item));
    return { items, resourceVersion: this.resourceVersion };
  }

  create<R extends ResourceRef>(ref: R, object: ObjectOf<R>, options: WriteOptions = {}): ObjectOf<R> {
    const info = this.resolve(ref);
    const next: KubeObject = structuredClone(object);
    next.apiVersion = groupVersion(info);
    next.kind = info.kind;
    const meta = next.metadata ?? {};
    next.metadata = meta;
    if (!info.namespaced) delete meta.namespace;
    else if (!meta.namespace) throw invalid(info, meta.name ?? "", "metadata.namespace: Required value");
    if (!meta.name && meta.generateName) meta.name = this.#freeName(info, meta.namespace, meta.generateName);
    if (!meta.name)
      throw invalid(info, "", "metadata.name: Required value: name or generateName is required");
    const badName = nameError(meta.name, info.kind === "Namespace");
    if (badName) throw invalid(info, meta.name, `metadata.name: ${badName}`);
    if (info.namespaced && meta.namespace) this.#namespaces.checkOpen(meta.namespace);
    if (this.#tables.find(info, meta.namespace, meta.name)) {
      throw new StoreError(409, "AlreadyExists", `${qualifiedResource(info)} "${meta.name}" already exists`, {
        name: meta.name,
        group: info.group,
        kind: info.resource,
      });
    }
    meta.uid = randomUUID();
    meta.creationTimestamp = timestamp(this.#now());
    meta.generation = 1;
    delete meta.resourceVersion;
    delete meta.deletionTimestamp;
    delete meta.deletionGracePeriodSeconds;
    // As the real server's PrepareForCreate: a new object's status starts empty (`status: {}`).
    if (info.status) next.status = {};
    applyDefaults(next);
    if (options.dryRun) return this.#typed(ref, info, next);
    this.#commit(info, next, "ADDED");
    if (info.kind === "CustomResourceDefinition") this.registry.registerDefinition(next);
    return this.#typed(ref, info, next);
  }

  update<R extends ResourceRef>(ref: R, object: ObjectOf<R>, options: WriteOptions = {}): ObjectOf<R> {
    const info = this.resolve(ref);
    const written: KubeObject = object;
    const name = written.metadata?.name ?? "";
    const namespace = info.namespaced ? written.metadata?.namespace : undefined;
    const existing = this.#tables.find(info, namespace, name);
    if (!existing) throw notFound(info, name);
    const wanted = written.metadata?.resourceVersion;
    if (wanted && wanted !== existing.metadata.resourceVersion) throw conflict(info, name);
    if (written.metadata?.uid && written.metadata.uid !== existing.metadata.uid) {
      throw conflict(
        info,
        name,
        `Precondition failed: UID in precondition: ${written.metadata.uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    let next: KubeObject;
    if (options.subresource === "status") {
      next = structuredClone(existing);
      next.status = structuredClone(written.status);
      // The API server records the status writer's field ownership.
      if (written.metadata?.managedFields)
        next.metadata.managedFields = structuredClone(written.metadata.managedFields);
    } else {
      next = structuredClone(written);
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
    if (isDeepStrictEqual(next, existing)) return this.#typed(ref, info, existing);
    if (!isDeepStrictEqual(specOf(next), specOf(existing)))
      next.metadata.generation = (existing.metadata.generation ?? 0) + 1;
    if (options.dryRun) return this.#typed(ref, info, next);
    if (next.metadata.deletionTimestamp && this.#removable(info, next)) {
      this.#remove(info, next);
      return this.#typed(ref, info, next);
    }
    this.#commit(info, next, "MODIFIED", existing);
    return this.#typed(ref, info, next);
  }

  delete<R extends ResourceRef>(
    ref: R,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): ObjectOf<R> | undefined {
    const info = this.resolve(ref);
    const existing = this.#tables.find(info, info.namespaced ? namespace : undefined, name);
    if (!existing) throw notFound(info, name);
    const { uid, resourceVersion } = options.preconditions ?? {};
    if (uid && uid !== existing.metadata.uid) {
      throw conflict(
        info,
        name,
        `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${existing.metadata.uid}`,
      );
    }
    if (resourceVersion && resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(
        info,
        name,
        `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`,
      );
    }
    const policy = options.propagationPolicy ?? "Background";
    const grace = isObjectOf(resources.pods, info, existing)
      ? podGrace(existing, options.gracePeriodSeconds)
      : 0;
    const finalizers = [...(existing.metadata.finalizers ?? [])];
    if (policy === "Foreground" && !finalizers.includes(foregroundFinalizer))
      finalizers.push(foregroundFinalizer);
    const graceful = grace > 0 || finalizers.length > 0 || info.kind === "Namespace";
    if (options.dryRun) return this.#typed(ref, info, existing);
    if (policy === "Orphan") this.#gc.orphanDependents(existing);
    if (!graceful) {
      this.#remove(info, existing);
      return this.#typed(ref, info, existing);
    }
    const next = structuredClone(existing);
    const deletingAlready = next.metadata.deletionTimestamp !== undefined;
    const currentGrace = next.metadata.deletionGracePeriodSeconds;
    if (!deletingAlready || (currentGrace !== undefined && grace < currentGrace)) {
      next.metadata.deletionTimestamp = timestamp(new Date(this.#now().getTime() + grace * 1000));
      next.metadata.deletionGracePeriodSeconds = grace;
      next.metadata.generation = (next.metadata.generation ?? 0) + 1;
    }
    next.metadata.finalizers = finalizers;
    if (finalizers.length === 0) delete next.metadata.finalizers;
    if (info.kind === "Namespace")
      next.status = { ...(next.status as object | undefined), phase: "Terminating" };
    if (!isDeepStrictEqual(next, existing)) this.#commit(info, next, "MODIFIED", existing);
    if (info.kind === "Namespace") this.#namespaces.deleteAllContent(name);
    if (policy === "Foreground") this.#gc.deleteDependents(next, "Foreground");
    this.#gc.finishForeground(info, next.metadata.namespace, name);
    if (info.kind === "Namespace") this.#namespaces.finish(name);
    return this.#typed(ref, info, this.#tables.find(info, next.metadata.namespace, name) ?? next);
  }

  watch<R extends ResourceRef>(
    ref: R,
    options: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent<ObjectOf<R>>) => void,
  ): () => void {
    const info = this.resolve(ref);
    const predicate = listPredicate(info, options);
    const since =
      options.resourceVersion === undefined ||
      options.resourceVersion === "" ||
      options.resourceVersion === "0"
        ? undefined
        : Number(options.resourceVersion);
    if (since !== undefined && !Number.isInteger(since)) {
      throw new StoreError(400, "BadRequest", `invalid resource version: ${options.resourceVersion}`);
    }
    return this.#hub.subscribe(resourceKey(info), predicate, since, ({ type, object }) =>
      onEvent({ type, object: this.#typed(ref, info, object) }),
    );
  }

  /** A copy of a stored object, as the type its resource holds. */
  #typed<R extends ResourceRef>(ref: R, info: ResourceInfo, object: KubeObject): ObjectOf<R> {
    const copy = structuredClone(object);
    if (!isObjectOf(ref, info, copy))
      throw new Error(
        `${qualifiedResource(info)} "${object.metadata.name}" is stored as ${object.apiVersion} ${object.kind}, not ${groupVersion(info)} ${info.kind}`,
      );
    return copy;
  }

  /** Writes a final snapshot and releases the state files. */
  close(): void {
    if (!this.#files) return;
    this.#files.compact(this.#rv, this.#everything());
    this.#files.close();
  }

  #everything(): StoredObject[] {
    return [...this.#tables.objects(this.registry.all())].map(({ info, object }) => ({
      group: info.group,
      resource: info.resource,
      object,
    }));
  }

  #commit(info: ResourceInfo, object: KubeObject, type: "ADDED" | "MODIFIED", previous?: KubeObject): void {
    this.#rv++;
    object.metadata.resourceVersion = String(this.#rv);
    this.#tables.of(info).set(objectKey(object.metadata.namespace, object.metadata.name ?? ""), object);
    this.#persist(info, object, false);
    this.#hub.publish({ rv: this.#rv, key: resourceKey(info), type, object, previous });
  }

  /** Takes the object out of the store, then lets dependents, owners and its namespace react. */
  #remove(info: ResourceInfo, object: KubeObject): void {
    const key = objectKey(object.metadata.namespace, object.metadata.name ?? "");
    if (!this.#tables.of(info).delete(key)) return;
    this.#rv++;
    const gone = structuredClone(object);
    gone.metadata.resourceVersion = String(this.#rv);
    this.#persist(info, gone, true);
    this.#hub.publish({ rv: this.#rv, key: resourceKey(info), type: "DELETED", object: gone });
    this.#gc.deleteDependents(gone, "Background");
    this.#gc.dependentRemoved(gone);
    if (gone.metadata.namespace) this.#namespaces.finish(gone.metadata.namespace);
  }

  #persist(info: ResourceInfo, object: KubeObject, removed: boolean): void {
    if (!this.#files) return;
    this.#files.append(this.#rv, info.group, info.resource, object, removed);
    if (this.#files.logRecords >= this.#compactEvery) this.#files.compact(this.#rv, this.#everything());
  }

  /** No finalizer left and, for a pod, no grace period still running (the kubelet ends it with 0). */
  #removable(info: ResourceInfo, object: KubeObject): boolean {
    if ((object.metadata.finalizers ?? []).length > 0) return false;
    return info.kind !== "Pod" || (object.metadata.deletionGracePeriodSeconds ?? 0) === 0;
  }

  #freeName(info: ResourceInfo, namespace: string | undefined, prefix: string): string {
    for (;;) {
      const name = generatedName(prefix);
      if (!this.#tables.find(info, namespace, name)) return name;
    }
  }
}
