// core/v1 Events as client-go's recorder writes them (client-go tools/record): one Event per (object, type,
// reason, message), its count and lastTimestamp bumped when repeated. Controllers and the kubelet both
// record through it, so it depends on the object model and the store alone.
import { randomBytes } from "node:crypto";
import type { StoredMeta } from "../api/meta.ts";
import { resources } from "../api/resources.ts";
import type { Clock } from "../clock/clock.ts";
import { timestamp } from "../store/names.ts";
import { type ObjectStore, StoreError } from "../store/object-store.ts";

/** What an Event's involvedObject is taken from. */
export interface InvolvedObject {
  apiVersion: string;
  kind: string;
  metadata: StoredMeta;
}

export interface EventSource {
  component: string;
  host?: string;
}

export class EventRecorder {
  readonly #seen = new Map<string, string>();

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    private readonly source: EventSource,
  ) {}

  record(
    object: InvolvedObject,
    type: "Normal" | "Warning",
    reason: string,
    message: string,
    fieldPath?: string,
  ): void {
    const namespace = object.metadata.namespace ?? "default";
    const now = timestamp(this.clock.now());
    const key = [object.metadata.uid, fieldPath, type, reason, message].join("\u0000");
    const existingName = this.#seen.get(key);
    const existing = existingName ? this.store.get(resources.events, namespace, existingName) : undefined;
    try {
      if (existing) {
        this.store.update(resources.events, {
          ...existing,
          count: Number(existing.count ?? 1) + 1,
          lastTimestamp: now,
        });
        return;
      }
      const name = `${object.metadata.name}.${randomBytes(8).toString("hex")}`;
      this.store.create(resources.events, {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: object.apiVersion,
          kind: object.kind,
          name: object.metadata.name,
          namespace: object.metadata.namespace,
          uid: object.metadata.uid,
          resourceVersion: object.metadata.resourceVersion,
          ...(fieldPath ? { fieldPath } : {}),
        },
        reason,
        message,
        source: this.source,
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        type,
        eventTime: null,
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? "",
      });
      this.#seen.set(key, name);
    } catch (error) {
      // Events are best effort, as in client-go: a terminating namespace must not fail a sync.
      if (!(error instanceof StoreError)) throw error;
    }
  }
}
