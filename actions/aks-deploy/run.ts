// The core: typed config and a cluster client in, a typed result out. Load the manifests (bad input stops
// here), take the namespace's deploy lock, deal with a release a killed run left unfinished, then deploy
// (pre-flight, record, apply, wait, undo on failure) or roll back, and release the lock, also when cancelled.
import { AppsV1Api, CoordinationV1Api, CoreV1Api, KubernetesObjectApi } from "@kubernetes/client-node";
import { apiErrorMessage, isUnreachable } from "../lib/kube/api-error.ts";
import type { Problem } from "../lib/report/problem.ts";
import type { DeployConfig } from "./context.ts";
import { deployRelease } from "./deploy.ts";
import { ReleaseLedger } from "./ledger/ledger.ts";
import { acquireDeployLock } from "./lock/deploy-lock.ts";
import { loadManifests } from "./manifests/load.ts";
import type { ManifestDocument } from "./manifests/manifest-document.ts";
import { recoverUnfinished } from "./recover.ts";
import type { DeployResult, Timeline } from "./result.ts";
import { rollbackRelease } from "./rollback.ts";
import { type DeployDeps, nowIso, type RunSession } from "./session.ts";

/** The one Deployment the manifests roll out, or the problem saying why there is not exactly one. */
function theDeployment(documents: readonly ManifestDocument[]): { name: string } | { problem: Problem } {
  const deployments = documents.filter(
    (document) => document.object.kind === "Deployment" && document.object.apiVersion === "apps/v1",
  );
  const [only] = deployments;
  if (deployments.length === 1 && only?.object.metadata?.name) return { name: only.object.metadata.name };
  return {
    problem: {
      file: "input manifests",
      message:
        deployments.length === 0
          ? "hold no apps/v1 Deployment"
          : `hold ${deployments.length} Deployments (${deployments.map((document) => document.object.metadata?.name).join(", ")})`,
      hint: "aks-deploy rolls out exactly one Deployment per run; run it once per Deployment",
    },
  };
}

export async function runDeploy(config: DeployConfig, deps: DeployDeps): Promise<DeployResult> {
  const timeline: Timeline = {};
  const base = { mode: config.mode, namespace: config.namespace, timeline };
  const { log } = deps;
  const loaded = await log.group("Manifests", () =>
    loadManifests([...config.manifests], deps.kustomize ? { kustomize: deps.kustomize } : {}),
  );
  const found = loaded.problems.length > 0 ? undefined : theDeployment(loaded.documents);
  if (found === undefined || "problem" in found) {
    const problems = found === undefined ? loaded.problems : [found.problem];
    return { ...base, result: "invalid", message: "the manifests cannot be deployed", problems };
  }
  return runForDeployment(config, deps, found.name, loaded.documents, timeline);
}

/**
 * Deploys or rolls back the named Deployment under the namespace's deploy lock. Rollback mode needs no
 * documents: smoke-test's verdict undoes a release that failed its gate through here, with the same lock,
 * recovery, undo, wait and ledger as a deploy.
 */
export async function runForDeployment(
  config: DeployConfig,
  deps: DeployDeps,
  name: string,
  documents: readonly ManifestDocument[],
  timeline: Timeline = {},
): Promise<DeployResult> {
  const { log } = deps;
  const session: RunSession = {
    config,
    deps,
    name,
    documents,
    apps: deps.kubeConfig.makeApiClient(AppsV1Api),
    core: deps.kubeConfig.makeApiClient(CoreV1Api),
    objectApi: KubernetesObjectApi.makeApiClient(deps.kubeConfig),
    ledger: new ReleaseLedger(deps.kubeConfig.makeApiClient(CoreV1Api), config.namespace, name),
    signal: deps.signal,
    timeline,
    finalWrites: [],
  };
  const named = { mode: config.mode, namespace: config.namespace, timeline, deployment: name };
  // A dry run changes nothing, so it neither needs the lock nor repairs what another run left.
  if (config.dryRun) return deployRelease(session);

  const identity = `${config.run.url}#${deps.nonce}`;
  let attempt: Awaited<ReturnType<typeof acquireDeployLock>>;
  try {
    attempt = await log.group("Deploy lock", () =>
      acquireDeployLock({
        api: deps.kubeConfig.makeApiClient(CoordinationV1Api),
        namespace: config.namespace,
        identity,
        leaseDurationSeconds: config.lockLeaseSeconds,
        waitMs: config.lockTimeoutMs,
        signal: deps.signal,
        onWait: (holder) =>
          log.info(
            `the deploy lock is held by ${holder.identity} since ${holder.since}; waiting up to ${config.lockTimeoutMs / 1000}s`,
          ),
      }),
    );
  } catch (error) {
    if (deps.signal.aborted)
      return {
        ...named,
        result: "not-started",
        cancelled: true,
        message: "cancelled while waiting for the deploy lock",
      };
    const message = isUnreachable(error)
      ? `the cluster cannot be reached: ${apiErrorMessage(error)}`
      : `the deploy lock cannot be taken: ${apiErrorMessage(error)}`;
    return { ...named, result: "not-started", message };
  }
  if (!attempt.acquired) {
    return {
      ...named,
      result: "not-started",
      lockHolder: attempt.holder,
      message: `the deploy lock of namespace ${config.namespace} is held by ${attempt.holder.identity} since ${attempt.holder.since}; gave up after waiting ${config.lockTimeoutMs / 1000}s`,
    };
  }
  timeline.lockAcquiredAt = nowIso();
  if (attempt.takenOverFrom)
    log.warning(
      `took over the deploy lock of ${attempt.takenOverFrom.identity} (held since ${attempt.takenOverFrom.since}), which expired`,
    );
  const locked: RunSession = { ...session, signal: AbortSignal.any([deps.signal, attempt.lock.lost]) };
  try {
    const recovery = await recoverUnfinished(locked);
    if (recovery.failed) return recovery.failed;
    const result = config.mode === "deploy" ? await deployRelease(locked) : await rollbackRelease(locked);
    return recovery.recovered.length > 0 ? { ...result, recovered: recovery.recovered } : result;
  } finally {
    // The ledger's last write and the lock's release go out together: the step ends as soon as both are done.
    const writes = Promise.all(locked.finalWrites).catch((error: unknown) => {
      log.warning(`recording the release in the ledger failed: ${apiErrorMessage(error)}`);
    });
    await attempt.lock.release().catch((error: unknown) => {
      log.warning(`releasing the deploy lock failed (it expires on its own): ${apiErrorMessage(error)}`);
    });
    await writes;
  }
}
