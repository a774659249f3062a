// Returning a Deployment to a release: which revision (the newest verified release that is not the failed
// one, else kubectl's default, the previous revision), the undo itself (kubectl's semantics, undo/undo.ts),
// and the wait for it (afterUndo: a ProgressDeadlineExceeded left from the failed rollout is set aside,
// docs/rollout-semantics.md 3.10), which also checks that the pods run the digests of the release returned to.
import {
  type AppsV1Api,
  type KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from "@kubernetes/client-node";
import { undoFieldManager } from "../../lib/kube/apply-conflicts.ts";
import { replicaSetsOf } from "../../lib/kube/deployment-replica-sets.ts";
import { appsApiAs } from "../../lib/kube/field-manager-client.ts";
import { changeCauseAnnotation } from "../apply/provenance.ts";
import { aksDeployFieldManager } from "../apply/server-side-apply.ts";
import { lastVerified, type Release } from "../ledger/release.ts";
import { undoRollout } from "../undo/undo.ts";
import type { SignalThresholds } from "../wait/pod-signals.ts";
import { revisionOf } from "../wait/revision.ts";
import { type RolloutOutcome, type WaitClock, waitForRollout } from "../wait/wait-for-rollout.ts";

export interface UndoPlan {
  /** 0: kubectl's default (the revision before the current one). */
  readonly toRevision: number;
  readonly because: string;
}

export async function planUndo(
  apps: AppsV1Api,
  deployment: V1Deployment,
  releases: readonly Release[],
  failedReplicaSetUid: string | undefined,
): Promise<UndoPlan> {
  const fallback = "kubectl's default, the previous revision";
  const verified = lastVerified(releases, failedReplicaSetUid);
  if (!verified?.target) return { toRevision: 0, because: `no verified release to return to: ${fallback}` };
  const replicaSet = (await replicaSetsOf(apps, deployment)).find(
    (candidate) => candidate.metadata?.uid === verified.target?.replicaSetUid,
  );
  const revision = revisionOf(replicaSet?.metadata).revision;
  const described = `release ${verified.id} (${verified.run}; verified by ${verified.verified?.by} at ${verified.verified?.at})`;
  if (!replicaSet || !revision)
    return {
      toRevision: 0,
      because: `the last verified ${described} has no ReplicaSet left (revisionHistoryLimit): ${fallback}`,
    };
  return { toRevision: revision, because: `last verified ${described}, now revision ${revision}` };
}

export interface UndoRun {
  /** When the API server accepted the undo's patch (ms since the epoch). */
  readonly requestedAt: number;
  readonly revision?: number;
  readonly replicaSetName?: string;
  readonly skipped: boolean;
  /** The wait for the undo; undefined when the run was cancelled (the next run confirms it). */
  readonly outcome?: RolloutOutcome;
}

export interface UndoOptions {
  readonly kubeConfig: KubeConfig;
  readonly namespace: string;
  readonly name: string;
  readonly plan: UndoPlan;
  /** Replaces the change-cause the undo copied from the old ReplicaSet (a manual rollback's reason). */
  readonly changeCause?: string;
  readonly timeoutMs: number;
  readonly thresholds: SignalThresholds;
  /** Cancellation: the undo is still requested, but not waited for. */
  readonly signal: AbortSignal;
  readonly clock?: WaitClock;
  readonly onProgress?: (message: string) => void;
  /** Runs once the API server accepted the undo, before the wait (records it in the ledger). */
  readonly onRequested?: () => Promise<void>;
}

export async function undoAndWait(options: UndoOptions): Promise<UndoRun> {
  // The undo's writes are recorded under our own manager, so the next apply may take those fields back.
  const apps = appsApiAs(options.kubeConfig, undoFieldManager(aksDeployFieldManager));
  const undone = await undoRollout(apps, {
    namespace: options.namespace,
    name: options.name,
    toRevision: options.plan.toRevision,
  });
  const done = {
    requestedAt: Date.now(),
    skipped: undone.skipped,
    revision: undone.revision,
    replicaSetName: undone.replicaSetName,
  };
  if (options.changeCause !== undefined) {
    await apps.patchNamespacedDeployment(
      {
        name: options.name,
        namespace: options.namespace,
        body: { metadata: { annotations: { [changeCauseAnnotation]: options.changeCause } } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    );
  }
  await options.onRequested?.();
  if (options.signal.aborted) return done;
  const outcome = await waitForRollout({
    kubeConfig: options.kubeConfig,
    namespace: options.namespace,
    name: options.name,
    timeoutMs: options.timeoutMs,
    thresholds: options.thresholds,
    signal: options.signal,
    afterUndo: true,
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  if (outcome.status === "failed" && outcome.cause === "cancelled") return done;
  return { ...done, outcome };
}
