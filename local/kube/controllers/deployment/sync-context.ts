// What every sync path of the deployment controller shares (the receiver of upstream's methods): the
// store, clock, recorder and queue; the Deployment being synced; its status and revision writes; and
// getReplicaSetsForDeployment (deployment_controller.go).
import type { Deployment, DeploymentStatus, ReplicaSet } from "../../api/kinds.ts";
import { type Condition, controllerOf } from "../../api/meta.ts";
import { resources } from "../../api/resources.ts";
import type { Clock } from "../../clock/clock.ts";
import type { EventRecorder } from "../../events/recorder.ts";
import { timestamp } from "../../store/names.ts";
import type { ObjectStore } from "../../store/object-store.ts";
import { selectorMatches } from "../../store/selectors.ts";
import { newCondition, setCondition } from "../api/conditions.ts";
import { annotation } from "./revision.ts";

export const fieldManager = "deployment-controller";

/** What the sync functions act through (the controller's store, clock, recorder and queue). */
export interface SyncContext {
  store: ObjectStore;
  clock: Clock;
  events: EventRecorder;
  /** Syncs the Deployment again after `ms` (a pod becoming available, a deadline passing). */
  requeueAfter(key: string, ms: number): void;
}

/** The Deployment being synced; replaced by each write's result so the next write has a current version. */
export interface Sync {
  key: string;
  d: Deployment;
}

export function now(ctx: SyncContext): { now: Date; text: string } {
  const at = ctx.clock.now();
  return { now: at, text: timestamp(at) };
}

export function writeStatus(ctx: SyncContext, s: Sync, status: DeploymentStatus | undefined): void {
  s.d = ctx.store.update(resources.deployments, { ...s.d, status }, { subresource: "status", fieldManager });
}

/** SetDeploymentCondition for Progressing, then the status write. */
export function writeProgressing(
  ctx: SyncContext,
  s: Sync,
  status: Condition["status"],
  reason: string,
  message: string,
): void {
  const condition = newCondition("Progressing", status, reason, message, now(ctx).text);
  writeStatus(ctx, s, { ...s.d.status, conditions: setCondition(s.d.status?.conditions, condition) });
}

/** The revision annotation lives in metadata, which the status subresource does not write here. */
export function setDeploymentRevision(ctx: SyncContext, s: Sync, revision: string): void {
  if (s.d.metadata.annotations?.[annotation.revision] === revision) return;
  const next = structuredClone(s.d);
  next.metadata.annotations = { ...next.metadata.annotations, [annotation.revision]: revision };
  s.d = ctx.store.update(resources.deployments, next, { fieldManager });
}

/** getReplicaSetsForDeployment: those it controls (same uid) that match its selector. */
export function replicaSetsOf(ctx: SyncContext, d: Deployment): ReplicaSet[] {
  return ctx.store
    .list(resources.replicasets, { namespace: d.metadata.namespace })
    .items.filter(
      (rs) =>
        controllerOf(rs.metadata)?.uid === d.metadata.uid &&
        selectorMatches(d.spec.selector, rs.metadata.labels),
    );
}
