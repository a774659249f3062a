// A release a run left unfinished (killed after it applied, or cancelled before its undo was seen through):
// the next run to hold the lock says so, treats it as failed and returns the Deployment to the last verified
// release (or confirms the undo already requested) before it deploys anything itself.

import { readDeployment } from "./deploy.ts";
import { currentTarget } from "./ledger/ledger.ts";
import { type Release, unfinished } from "./ledger/release.ts";
import { planUndo, undoAndWait } from "./restore/return-to-release.ts";
import type { DeployResult, RecoveredRelease } from "./result.ts";
import { nowIso, type RunSession } from "./session.ts";
import { waitForRollout } from "./wait/wait-for-rollout.ts";

export interface Recovery {
  readonly recovered: RecoveredRelease[];
  /** Set when the Deployment could not be returned to a healthy release: nothing more is done. */
  readonly failed?: DeployResult;
}

const describe = (release: Release) =>
  `release ${release.id} of ${release.run} (started ${release.startedAt}) was left ${release.state}`;

export async function recoverUnfinished(session: RunSession): Promise<Recovery> {
  const { config, deps, name } = session;
  const { log } = deps;
  const pending = unfinished(await session.ledger.releases());
  const latest = pending.at(-1);
  if (!latest) return { recovered: [] };
  return log.group("Unfinished release", async () => {
    const recovered: RecoveredRelease[] = [];
    for (const older of pending.slice(0, -1)) {
      log.warning(`${describe(older)}; a later release superseded it`);
      await session.ledger.recordResult(older.id, {
        state: "interrupted",
        message: "superseded",
        finishedAt: nowIso(),
      });
      recovered.push({
        release: older.id,
        run: older.run,
        startedAt: older.startedAt,
        state: older.state,
        outcome: "superseded",
      });
    }
    log.warning(`${describe(latest)}: its run ended without finishing; treating it as failed`);
    const live = await readDeployment(session);
    const current = live ? await currentTarget(session.apps, live) : undefined;
    const waitOptions = {
      kubeConfig: deps.kubeConfig,
      namespace: config.namespace,
      name,
      timeoutMs: config.timeoutMs,
      thresholds: config.thresholds,
      signal: session.signal,
      onProgress: (message: string) => log.info(message),
      ...(deps.clock ? { clock: deps.clock } : {}),
    };
    let outcome: Awaited<ReturnType<typeof waitForRollout>> | undefined;
    let action: string;
    const appliedSomething =
      current !== undefined && current.replicaSetUid !== latest.previous?.replicaSetUid;
    if (live && latest.state === "applying" && appliedSomething) {
      const plan = await planUndo(session.apps, live, await session.ledger.releases(), current.replicaSetUid);
      log.info(`undoing it: ${plan.because}`);
      outcome = (await undoAndWait({ ...waitOptions, plan })).outcome;
      action = `undone (${plan.because})`;
    } else if (live) {
      // Its undo was requested (or it never changed the template): confirm the Deployment is healthy.
      outcome = await waitForRollout({ ...waitOptions, afterUndo: true });
      action = latest.state === "undo-requested" ? "its undo confirmed" : "nothing of it was running";
    } else action = "its Deployment no longer exists";
    if (outcome && outcome.status !== "complete") {
      const message = `${describe(latest)}; returning to a healthy release failed: ${outcome.message}`;
      await session.ledger.recordResult(latest.id, {
        state: "rollback-failed",
        message,
        finishedAt: nowIso(),
      });
      recovered.push({
        release: latest.id,
        run: latest.run,
        startedAt: latest.startedAt,
        state: latest.state,
        outcome: "rollback failed",
      });
      return {
        recovered,
        failed: {
          mode: config.mode,
          result: "rollback-failed",
          namespace: config.namespace,
          deployment: name,
          timeline: session.timeline,
          recovered,
          message: `${message}; nothing was deployed`,
          failure: { cause: outcome.cause, message: outcome.message, signals: outcome.signals },
        },
      };
    }
    await session.ledger.recordResult(latest.id, {
      state: latest.state === "undo-requested" ? "rolled-back" : "interrupted",
      message: `interrupted; ${action} by a later run`,
      finishedAt: nowIso(),
    });
    recovered.push({
      release: latest.id,
      run: latest.run,
      startedAt: latest.startedAt,
      state: latest.state,
      outcome: action,
    });
    return { recovered };
  });
}
