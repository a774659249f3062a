// The in-process contract between the API server (which owns storage and object mechanics) and the
// controllers/kubelet (which read, watch and write objects without going through HTTP).
// Objects are plain JSON, shaped like the Kubernetes API (local/kube/api/); reads through a typed resource
// (`resources.deployments`) give its kind.
import type { KubeObject } from "../api/meta.ts";
import type { ObjectOf, ResourceRef } from "../api/resources.ts";

export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

export interface WatchEvent<T extends KubeObject = KubeObject> {
  type: WatchEventType;
  object: T;
}

export interface ListOptions {
  namespace?: string;
  /** Equality-based label selector, e.g. { app: "cloudjobhunt", "pod-template-hash": "abc" }. */
  matchLabels?: Record<string, string>;
  /** Label selector in the API's string syntax (`a=b,c in (x,y),!d`); combined with matchLabels. */
  labelSelector?: string;
  /** Field selector in the API's string syntax (`metadata.name=x`). */
  fieldSelector?: string;
}

export interface ListResult<T extends KubeObject = KubeObject> {
  items: T[];
  resourceVersion: string;
}

export interface WriteOptions {
  /** Write the status subresource: only `status` changes, generation untouched. */
  subresource?: "status";
  /** Identifies the writer in managedFields and events, e.g. "deployment-controller". */
  fieldManager?: string;
  /** Validate and compute the result without storing it or emitting events (dryRun=All). */
  dryRun?: boolean;
}

export interface DeleteOptions {
  /** For pods: seconds the kubelet gives the containers before it removes the object. */
  gracePeriodSeconds?: number;
  propagationPolicy?: "Foreground" | "Background" | "Orphan";
  /** The delete fails with 409 Conflict when the stored object's uid/resourceVersion differ. */
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

/** Status.details as the real server fills it. */
export interface StoreErrorDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
}

/** Thrown by the store; the API server maps it to a Kubernetes Status object. */
export class StoreError extends Error {
  constructor(
    readonly code: 400 | 403 | 404 | 405 | 409 | 410 | 415 | 422,
    readonly reason:
      | "BadRequest"
      | "Forbidden"
      | "NotFound"
      | "MethodNotAllowed"
      | "AlreadyExists"
      | "Conflict"
      | "Expired"
      | "UnsupportedMediaType"
      | "Invalid",
    message: string,
    readonly details?: StoreErrorDetails,
  ) {
    super(message);
    this.name = "StoreError";
  }
}

export interface ObjectStore {
  get<R extends ResourceRef>(ref: R, namespace: string | undefined, name: string): ObjectOf<R> | undefined;
  list<R extends ResourceRef>(ref: R, options?: ListOptions): ListResult<ObjectOf<R>>;
  /** Assigns uid, resourceVersion, generation 1, creationTimestamp; 409 AlreadyExists if present. */
  create<R extends ResourceRef>(ref: R, object: ObjectOf<R>, options?: WriteOptions): ObjectOf<R>;
  /**
   * Replaces the object. A non-empty metadata.resourceVersion that is not current gives 409 Conflict
   * (optimistic concurrency, as the real server). Bumps generation only when spec changes.
   */
  update<R extends ResourceRef>(ref: R, object: ObjectOf<R>, options?: WriteOptions): ObjectOf<R>;
  /**
   * Pods with a grace period get deletionTimestamp/deletionGracePeriodSeconds and stay until the kubelet
   * removes them with gracePeriodSeconds 0; other objects go at once, dependents collected by the GC.
   */
  delete<R extends ResourceRef>(
    ref: R,
    namespace: string | undefined,
    name: string,
    options?: DeleteOptions,
  ): ObjectOf<R> | undefined;
  /**
   * Calls onEvent for every change after resourceVersion (or from now when omitted), in order.
   * Returns a function that stops the watch. A resourceVersion older than the retained history throws
   * StoreError 410 Expired.
   */
  watch<R extends ResourceRef>(
    ref: R,
    options: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent<ObjectOf<R>>) => void,
  ): () => void;
}
