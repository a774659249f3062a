// Rollback mode, once the lock is held: return the Deployment to a given revision or to the last verified
// release, with the reason as its change-cause; same undo, wait and digest check as a failed deploy.

import { replicaSetsOf } from "../lib/kube/deployment-replica-sets.ts";
import type { Problem } from "../lib/report/problem.ts";
import { digestOf, readDeployment } from "./deploy.ts";
import { currentTarget, targetOf } from "./ledger/ledger.ts";
import { planUndo, type UndoPlan, undoAndWait } from "./restore/return-to-release.ts";
import type { DeployResult } from "./result.ts";
import { nowIso, type RunSession } from "./session.ts";
import { revisionOf } from "./wait/revision.ts";

export async function rollbackRelease(session: RunSession): Promise<DeployResult> {
  const { config, deps, name, timeline } = session;
  const { log } = deps;
  const base = { mode: config.mode, namespace: config.namespace, deployment: name, timeline };
  const invalid = (problem: Problem): DeployResult => ({
    ...base,
    result: "invalid",
    message: "nothing was rolled back",
    problems: [problem],
  });
  const live = await readDeployment(session);
  if (!live)
    return invalid({
      file: "input manifests",
      message: `deployments.apps "${name}" not found in namespace ${config.namespace}`,
    });
  const current = await currentTarget(session.apps, live);
  let plan: UndoPlan;
  if (config.toRevision !== undefined) {
    const exists = (await replicaSetsOf(session.apps, live)).some(
      (replicaSet) => revisionOf(replicaSet.metadata).revision === config.toRevision,
    );
    if (!exists)
      return invalid({
        file: "input to-revision",
        message: `unable to find specified revision ${config.toRevision} in history`,
      });
    plan = { toRevision: config.toRevision, because: `revision ${config.toRevision}, as asked` };
  } else {
    plan = await planUndo(session.apps, live, await session.ledger.releases(), current?.replicaSetUid);
    if (plan.toRevision === 0)
      return invalid({
        file: "input to-revision",
        message: `no verified release of deployment "${name}" to roll back to`,
        hint: "give to-revision (kubectl rollout history shows them)",
      });
  }
  const reason = config.reason ?? "";
  const releaseId = await session.ledger.recordStart({
    kind: "rollback",
    run: config.run.url,
    startedAt: nowIso(),
    changeCause: reason,
    ...(current ? { previous: current } : {}),
  });
  log.info(`rolling back to ${plan.because}`);
  const undone = await log.group("Undo", () =>
    undoAndWait({
      kubeConfig: deps.kubeConfig,
      namespace: config.namespace,
      name,
      plan,
      changeCause: reason,
      timeoutMs: config.timeoutMs,
      thresholds: config.thresholds,
      signal: session.signal,
      onProgress: (message) => log.info(message),
      ...(deps.clock ? { clock: deps.clock } : {}),
    }),
  );
  timeline.undoRequestedAt = new Date(undone.requestedAt).toISOString();
  const previous = current ? { previousRevision: current.revision } : {};
  if (!undone.outcome) {
    await session.ledger.recordResult(releaseId, { state: "undo-requested", message: "cancelled" });
    return {
      ...base,
      ...previous,
      result: "rolled-back",
      cancelled: true,
      undo: { because: plan.because, unconfirmed: true },
      message: "cancelled: the rollback was requested and the next run confirms it",
    };
  }
  if (undone.outcome.status === "complete") {
    timeline.healthyAt = nowIso();
    const target = targetOf(undone.outcome.replicaSet);
    await session.ledger.recordResult(releaseId, { state: "deployed", target, finishedAt: nowIso() });
    return {
      ...base,
      ...previous,
      result: "rolled-back",
      revision: target.revision,
      ...(digestOf(target) ? { digest: digestOf(target) } : {}),
      undo: {
        because: plan.because,
        revision: target.revision,
        replicaSetName: target.replicaSetName,
        message: undone.outcome.message,
      },
      message: `rolled back to revision ${target.revision} (${plan.because}): ${reason}`,
    };
  }
  await session.ledger.recordResult(releaseId, {
    state: "rollback-failed",
    message: undone.outcome.message,
    finishedAt: nowIso(),
  });
  return {
    ...base,
    ...previous,
    result: "rollback-failed",
    failure: {
      cause: undone.outcome.cause,
      message: undone.outcome.message,
      signals: undone.outcome.signals,
    },
    undo: { because: plan.because, message: undone.outcome.message },
    message: `the rollback to ${plan.because} failed: ${undone.outcome.message}`,
  };
}
