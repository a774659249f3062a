// getAllReplicaSetsAndSyncRevision and getNewReplicaSet (sync.go; rules 3.2, 3.3): the new ReplicaSet is
// found (and its revision brought up to date) or, when asked, created with the hash of the template.
import type { ReplicaSet } from "../../api/kinds.ts";
import { controllerOf, controllerReference } from "../../api/meta.ts";
import { resources } from "../../api/resources.ts";
import { StoreError } from "../../store/object-store.ts";
import { getCondition } from "../api/conditions.ts";
import { maxSurge, progressDeadlineSeconds, replicasOf } from "./fenceposts.ts";
import { computeHash } from "./hash.ts";
import { reason } from "./progress.ts";
import { specReplicas } from "./replica-counts.ts";
import {
  annotation,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  maxRevision,
  podTemplateHashLabel,
  semantic,
  setNewReplicaSetAnnotations,
} from "./revision.ts";
import { newReplicaSetReplicas } from "./rolling.ts";
import {
  fieldManager,
  type Sync,
  type SyncContext,
  setDeploymentRevision,
  writeProgressing,
  writeStatus,
} from "./sync-context.ts";

export function getAllReplicaSetsAndSyncRevision(
  ctx: SyncContext,
  s: Sync,
  rsList: ReplicaSet[],
  createIfMissing: boolean,
): { newRS?: ReplicaSet; oldRSs: ReplicaSet[] } {
  const oldRSs = findOldReplicaSets(s.d, rsList);
  return { newRS: getNewReplicaSet(ctx, s, rsList, oldRSs, createIfMissing), oldRSs };
}

function getNewReplicaSet(
  ctx: SyncContext,
  s: Sync,
  rsList: ReplicaSet[],
  oldRSs: ReplicaSet[],
  createIfMissing: boolean,
): ReplicaSet | undefined {
  const newRevision = maxRevision(oldRSs) + 1;
  const existing = findNewReplicaSet(s.d, rsList);
  if (existing) return syncExisting(ctx, s, existing, newRevision);
  return createIfMissing ? create(ctx, s, oldRSs, newRevision) : undefined;
}

function replicaAnnotations(s: Sync): { desired: number; max: number } {
  return { desired: replicasOf(s.d), max: replicasOf(s.d) + maxSurge(s.d) };
}

/** An existing new ReplicaSet: revision, annotations and minReadySeconds brought up to date (rule 3.3). */
function syncExisting(ctx: SyncContext, s: Sync, existing: ReplicaSet, newRevision: number): ReplicaSet {
  const copy = structuredClone(existing);
  const annotationsChanged = setNewReplicaSetAnnotations(s.d, copy, newRevision, true, replicaAnnotations(s));
  if (annotationsChanged || (copy.spec.minReadySeconds ?? 0) !== (s.d.spec.minReadySeconds ?? 0)) {
    copy.spec.minReadySeconds = s.d.spec.minReadySeconds;
    return ctx.store.update(resources.replicasets, copy, { fieldManager });
  }
  setDeploymentRevision(ctx, s, copy.metadata.annotations?.[annotation.revision] ?? "");
  // Rule 3.3: FoundNewReplicaSet only when no Progressing condition exists (an exceeded deadline stays).
  if (progressDeadlineSeconds(s.d) !== undefined && !getCondition(s.d.status?.conditions, "Progressing"))
    writeProgressing(
      ctx,
      s,
      "True",
      reason.foundNewReplicaSet,
      `Found new replica set "${copy.metadata.name}"`,
    );
  return copy;
}

/** A new ReplicaSet `<deployment>-<hash>` (rule 3.2); a hash collision bumps collisionCount and retries. */
function create(ctx: SyncContext, s: Sync, oldRSs: ReplicaSet[], newRevision: number): ReplicaSet {
  const template = structuredClone(s.d.spec.template);
  const hash = computeHash(semantic(template), s.d.status?.collisionCount);
  const labels = { ...template.metadata?.labels, [podTemplateHashLabel]: hash };
  template.metadata = { ...template.metadata, labels };
  const rs: ReplicaSet = {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name: `${s.d.metadata.name}-${hash}`,
      namespace: s.d.metadata.namespace,
      ownerReferences: [controllerReference(s.d)],
      labels,
    },
    spec: {
      replicas: 0,
      minReadySeconds: s.d.spec.minReadySeconds,
      selector: {
        ...s.d.spec.selector,
        matchLabels: { ...s.d.spec.selector.matchLabels, [podTemplateHashLabel]: hash },
      },
      template,
    },
  };
  rs.spec.replicas = newReplicaSetReplicas(s.d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(s.d, rs, newRevision, false, replicaAnnotations(s));
  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    created = ctx.store.create(resources.replicasets, rs, { fieldManager });
  } catch (error) {
    if (error instanceof StoreError && error.reason === "AlreadyExists") {
      const other = ctx.store.get(resources.replicasets, rs.metadata.namespace, rs.metadata.name);
      if (
        other &&
        controllerOf(other.metadata)?.uid === s.d.metadata.uid &&
        equalIgnoreHash(s.d.spec.template, other.spec.template)
      ) {
        created = other;
        alreadyExisted = true;
      } else {
        // A hash collision: bump collisionCount and retry with the next hash.
        writeStatus(ctx, s, { ...s.d.status, collisionCount: (s.d.status?.collisionCount ?? 0) + 1 });
        throw error;
      }
    } else {
      const message = `Failed to create new replica set "${rs.metadata.name}": ${error instanceof Error ? error.message : String(error)}`;
      if (progressDeadlineSeconds(s.d) !== undefined)
        writeProgressing(ctx, s, "False", reason.failedCreate, message);
      ctx.events.record(s.d, "Warning", reason.failedCreate, message);
      throw error;
    }
  }
  const size = specReplicas(created);
  if (!alreadyExisted && size > 0) {
    ctx.events.record(
      s.d,
      "Normal",
      "ScalingReplicaSet",
      `Scaled up replica set ${created.metadata.name} from 0 to ${size}`,
    );
  }
  setDeploymentRevision(ctx, s, String(newRevision));
  if (!alreadyExisted && progressDeadlineSeconds(s.d) !== undefined) {
    const message = `Created new replica set "${created.metadata.name}"`;
    writeProgressing(ctx, s, "True", reason.newReplicaSetCreated, message);
  }
  return created;
}
