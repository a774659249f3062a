// The typed result of a deploy or rollback run: what the outputs, the summary, the JSON report and the exit
// code are made from.
import { ExitCode } from "../lib/entry/exit-code.ts";
import type { Problem } from "../lib/report/problem.ts";
import type { Diagnostics } from "./diagnostics/diagnostics.ts";
import type { LockHolder } from "./lock/deploy-lock.ts";
import type { PodSignal } from "./wait/pod-signals.ts";

export type Outcome =
  | "deployed"
  | "validated"
  | "rolled-back"
  | "rollback-failed"
  | "invalid"
  | "not-started";

export interface UndoReport {
  /** The revision the Deployment was returned to (after the controller renumbered it). */
  readonly revision?: number;
  readonly replicaSetName?: string;
  /** Why this target: `last verified release 3 (run …)` or kubectl's default. */
  readonly because: string;
  /** True when the undo was requested but not waited for (the run was cancelled). */
  readonly unconfirmed?: boolean;
  /** How the wait for the undo ended. */
  readonly message?: string;
}

/** A release a killed or cancelled run left unfinished, and what this run did about it. */
export interface RecoveredRelease {
  readonly release: number;
  readonly run: string;
  readonly startedAt: string;
  readonly state: string;
  readonly outcome: string;
}

/** Wall-clock moments (ISO, ms) a benchmark or a person can line up against the cluster's events. */
export interface Timeline {
  lockAcquiredAt?: string;
  appliedAt?: string;
  failureDetectedAt?: string;
  undoRequestedAt?: string;
  rolloutCompleteAt?: string;
  healthyAt?: string;
}

export interface DeployResult {
  readonly mode: "deploy" | "rollback";
  readonly result: Outcome;
  readonly namespace: string;
  readonly deployment?: string;
  readonly message: string;
  /** The Deployment's revision when the run ended. */
  readonly revision?: number;
  /** Its revision before this run. */
  readonly previousRevision?: number;
  /** The digest of the image the run deployed or returned to (the first digest-pinned container). */
  readonly digest?: string;
  readonly images?: readonly string[];
  readonly problems?: readonly Problem[];
  readonly lockHolder?: LockHolder;
  readonly failure?: {
    readonly cause: string;
    readonly message: string;
    readonly signals: readonly PodSignal[];
  };
  readonly undo?: UndoReport;
  readonly recovered?: readonly RecoveredRelease[];
  readonly diagnostics?: Diagnostics;
  readonly cancelled?: boolean;
  readonly timeline: Timeline;
}

export function deployExitCode(result: DeployResult): ExitCode {
  switch (result.result) {
    case "deployed":
    case "validated":
      return ExitCode.Ok;
    case "rolled-back":
      return result.mode === "rollback" && !result.cancelled ? ExitCode.Ok : ExitCode.RolledBack;
    case "rollback-failed":
      return ExitCode.RollbackFailed;
    case "invalid":
      return ExitCode.InvalidInput;
    case "not-started":
      return ExitCode.NotStarted;
  }
}

export function deployOutputs(result: DeployResult): Record<string, string> {
  return {
    result: result.result,
    revision: result.revision === undefined ? "" : String(result.revision),
    "previous-revision": result.previousRevision === undefined ? "" : String(result.previousRevision),
    digest: result.digest ?? "",
  };
}
