// Deploy mode, once the lock is held: pre-flight (the dry run stops here), record what undo needs, apply,
// wait, and on failure undo to the last verified release, wait for that, and report why with diagnostics.
import type { KubernetesObject, V1Deployment } from "@kubernetes/client-node";
import { statusCode } from "../lib/kube/api-error.ts";
import { containerImages, withProvenance } from "./apply/provenance.ts";
import { ApplyError, applyAll, aksDeployFieldManager as fieldManager } from "./apply/server-side-apply.ts";
import { collectDiagnostics, type Diagnostics, emptyDiagnostics } from "./diagnostics/diagnostics.ts";
import { currentTarget, targetOf } from "./ledger/ledger.ts";
import type { ReleaseTarget } from "./ledger/release.ts";
import { runPreflight } from "./preflight/preflight.ts";
import { planUndo, undoAndWait } from "./restore/return-to-release.ts";
import type { DeployResult } from "./result.ts";
import { nowIso, type RunSession } from "./session.ts";
import { describeSignal, waitForRollout } from "./wait/wait-for-rollout.ts";

export async function readDeployment(session: RunSession): Promise<V1Deployment | undefined> {
  try {
    return await session.apps.readNamespacedDeployment({
      name: session.name,
      namespace: session.config.namespace,
    });
  } catch (error) {
    if (statusCode(error) === 404) return undefined;
    throw error;
  }
}

/** The digest the release runs: that of the first digest-pinned container. */
export const digestOf = (target: ReleaseTarget | undefined) =>
  target?.images.find((image) => image.digest)?.digest;

const isDeployment = (object: KubernetesObject): object is V1Deployment =>
  object.kind === "Deployment" && object.apiVersion === "apps/v1";

export async function deployRelease(session: RunSession): Promise<DeployResult> {
  const { config, deps, name, timeline } = session;
  const { log } = deps;
  const base = { mode: config.mode, namespace: config.namespace, deployment: name, timeline };

  const preflight = await log.group("Pre-flight", () =>
    runPreflight([...session.documents], {
      namespace: config.namespace,
      images: [...config.images],
      objectApi: session.objectApi,
      fieldManager,
    }),
  );
  if (preflight.problems.length > 0)
    return {
      ...base,
      result: "invalid",
      message: "the pre-flight found problems; nothing was applied",
      problems: preflight.problems,
    };
  const deployment = preflight.objects.find(isDeployment);
  if (!deployment) throw new Error("the pre-flight returned no Deployment");
  const images = containerImages(deployment);
  if (config.dryRun)
    return {
      ...base,
      result: "validated",
      message: "pre-flight passed (server-side dry run included); nothing was applied",
      images,
    };

  const live = await readDeployment(session);
  const previous = live ? await currentTarget(session.apps, live) : undefined;
  const { run } = config;
  const changeCause = `${images.join(", ")}${run.commit ? ` (commit ${run.commit})` : ""} by ${run.actor ?? "unknown"} from ${run.url}`;
  const releaseId = await session.ledger.recordStart({
    kind: "deploy",
    run: run.url,
    startedAt: nowIso(),
    changeCause,
    ...(previous ? { previous } : {}),
  });
  const annotated = withProvenance(deployment, {
    changeCause,
    run: run.url,
    images,
    ...(run.commit ? { commit: run.commit } : {}),
    ...(run.actor ? { actor: run.actor } : {}),
  });
  const objects = preflight.objects.map((object) => (object === deployment ? annotated : object));
  const withPrevious = { ...base, images, ...(previous ? { previousRevision: previous.revision } : {}) };

  let applyFailure: string | undefined;
  try {
    await log.group("Apply", async () => {
      for (const applied of await applyAll(objects, {
        objectApi: session.objectApi,
        fieldManager,
        signal: session.signal,
      }))
        log.info(
          `${applied.kind}/${applied.name} applied${applied.forcedFrom ? ` (took fields back from ${applied.forcedFrom.join(", ")})` : ""}`,
        );
    });
  } catch (error) {
    if (!(error instanceof ApplyError) || !error.applied.some((object) => object.kind === "Deployment")) {
      const message = error instanceof Error ? error.message : String(error);
      await session.ledger.recordResult(releaseId, {
        state: "rollback-failed",
        message,
        finishedAt: nowIso(),
      });
      return {
        ...withPrevious,
        result: "rollback-failed",
        message: `${message}; the Deployment was not changed, but the objects applied before it were not undone`,
      };
    }
    applyFailure = error.message; // the Deployment changed: undo it like a failed rollout
  }
  timeline.appliedAt = nowIso();

  const outcome =
    applyFailure === undefined
      ? await log.group("Rollout", () =>
          waitForRollout({
            kubeConfig: deps.kubeConfig,
            namespace: config.namespace,
            name,
            timeoutMs: config.timeoutMs,
            thresholds: config.thresholds,
            signal: session.signal,
            onProgress: (message) => log.info(message),
            ...(deps.clock ? { clock: deps.clock } : {}),
          }),
        )
      : undefined;
  if (outcome?.status === "complete") {
    timeline.rolloutCompleteAt = nowIso();
    const target = targetOf(outcome.replicaSet);
    timeline.healthyAt = nowIso();
    session.finalWrites.push(
      session.ledger.recordResult(releaseId, { state: "deployed", target, finishedAt: nowIso() }),
    );
    return {
      ...withPrevious,
      result: "deployed",
      message: outcome.message,
      revision: target.revision,
      ...(digestOf(target) ? { digest: digestOf(target) } : {}),
    };
  }
  const failure = outcome
    ? { cause: outcome.cause, message: outcome.message, signals: outcome.signals }
    : { cause: "apply", message: applyFailure ?? "", signals: [] };
  const failedReplicaSet = outcome?.replicaSet;
  timeline.failureDetectedAt = nowIso();
  const cancelled = session.signal.aborted;
  log.error(`release failed (${failure.cause}): ${failure.message}`);
  for (const signal of failure.signals) log.info(describeSignal(signal));

  const failedTarget = failedReplicaSet ? targetOf(failedReplicaSet) : undefined;
  const undoFirst = async () => {
    // Only what the choice of target needs comes before the undo request; the ledger is written after it
    // (a run killed in between leaves the release "applying", which the next run undoes all the same).
    const [current, releases] = await Promise.all([readDeployment(session), session.ledger.releases()]);
    if (!current) throw new Error(`deployments.apps "${name}" not found`);
    const plan = await planUndo(session.apps, current, releases, failedTarget?.replicaSetUid);
    log.info(
      `undoing to ${plan.toRevision === 0 ? "the previous revision" : `revision ${plan.toRevision}`}: ${plan.because}`,
    );
    const undone = await undoAndWait({
      kubeConfig: deps.kubeConfig,
      namespace: config.namespace,
      name,
      plan,
      onRequested: () =>
        session.ledger.recordResult(releaseId, {
          state: "undo-requested",
          message: failure.message,
          ...(failedTarget ? { target: failedTarget } : {}),
        }),
      timeoutMs: config.timeoutMs,
      thresholds: config.thresholds,
      signal: session.signal,
      onProgress: (message) => log.info(message),
      ...(deps.clock ? { clock: deps.clock } : {}),
    });
    return { plan, undone };
  };
  // The undo is requested at once; the failing pods are read meanwhile, before the undo scales them away.
  const [diagnostics, undo] = await log.group("Undo", () =>
    Promise.all([
      cancelled
        ? Promise.resolve<Diagnostics>(emptyDiagnostics)
        : collectDiagnostics(session.core, config.namespace, name, failedReplicaSet).catch(
            () => emptyDiagnostics,
          ),
      undoFirst().catch((error: unknown) => ({
        error: error instanceof Error ? error.message : String(error),
      })),
    ]),
  );
  const failed = {
    ...withPrevious,
    failure,
    diagnostics,
    ...(cancelled ? { cancelled } : {}),
  };
  if ("error" in undo) {
    await session.ledger.recordResult(releaseId, {
      state: "rollback-failed",
      message: undo.error,
      finishedAt: nowIso(),
    });
    return {
      ...failed,
      result: "rollback-failed",
      message: `${failure.message}; the undo failed: ${undo.error}`,
    };
  }
  const { plan, undone } = undo;
  timeline.undoRequestedAt = new Date(undone.requestedAt).toISOString();
  const undoReport = {
    because: plan.because,
    ...(undone.revision === undefined ? {} : { revision: undone.revision }),
    ...(undone.replicaSetName === undefined ? {} : { replicaSetName: undone.replicaSetName }),
  };
  if (!undone.outcome) {
    return {
      ...failed,
      result: "rolled-back",
      undo: { ...undoReport, unconfirmed: true },
      message: `cancelled: ${failure.message}; the undo was requested and the next run confirms it`,
    };
  }
  if (undone.outcome.status === "complete") {
    timeline.healthyAt = nowIso();
    const target = targetOf(undone.outcome.replicaSet);
    await session.ledger.recordResult(releaseId, {
      state: "rolled-back",
      message: `${failure.message}; undone to revision ${target.revision}`,
      finishedAt: nowIso(),
    });
    return {
      ...failed,
      result: "rolled-back",
      revision: target.revision,
      ...(digestOf(target) ? { digest: digestOf(target) } : {}),
      undo: {
        ...undoReport,
        revision: target.revision,
        replicaSetName: target.replicaSetName,
        message: undone.outcome.message,
      },
      message: `${failure.message}; rolled back to revision ${target.revision} (${plan.because})`,
    };
  }
  await session.ledger.recordResult(releaseId, {
    state: "rollback-failed",
    message: `${failure.message}; the undo failed: ${undone.outcome.message}`,
    finishedAt: nowIso(),
  });
  return {
    ...failed,
    result: "rollback-failed",
    undo: { ...undoReport, message: undone.outcome.message },
    message: `${failure.message}; the undo failed too: ${undone.outcome.message}`,
  };
}
