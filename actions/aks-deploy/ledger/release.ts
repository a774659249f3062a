// One release in the ledger, and the pure rules that read the ledger: which release is the newest verified one,
// and which release a killed run left unfinished. A release is known by its ReplicaSet's uid: revision numbers
// change when an undo reuses a ReplicaSet (the controller gives it the highest revision + 1).

export interface ReleaseImage {
  readonly container: string;
  readonly image: string;
  /** `sha256:…` when the reference is pinned by digest. */
  readonly digest?: string;
}

/** What the Deployment ran at some moment: enough to undo to it and to check its pods. */
export interface ReleaseTarget {
  /** The Deployment's revision then (later undos may renumber the ReplicaSet). */
  readonly revision: number;
  readonly replicaSetName: string;
  readonly replicaSetUid: string;
  readonly templateHash: string;
  readonly images: readonly ReleaseImage[];
}

/**
 * applying: recorded before the apply, the run is still deciding. undo-requested: the run asked for an undo
 * (cancelled or failed) and may not have seen it finish. The rest are final.
 */
export type ReleaseState =
  | "applying"
  | "undo-requested"
  | "deployed"
  | "rolled-back"
  | "rollback-failed"
  | "interrupted";

export interface Release {
  /** Position in the ledger (1, 2, …): the order releases were started in. */
  readonly id: number;
  readonly kind: "deploy" | "rollback";
  /** The run that made it: GitHub run URL, Jenkins BUILD_URL or user@host. */
  readonly run: string;
  readonly startedAt: string;
  readonly changeCause: string;
  /** What ran before this release was applied: the undo target of last resort. */
  readonly previous?: ReleaseTarget;
  /** What this release runs, once the controller has made (or reused) its ReplicaSet. */
  readonly target?: ReleaseTarget;
  readonly state: ReleaseState;
  readonly finishedAt?: string;
  /** Why it ended as it did (the failing signal, the undo's outcome). */
  readonly message?: string;
  /** Set by smoke-test (or a person) once the release was proven good; never copied to another release. */
  readonly verified?: { readonly at: string; readonly by: string };
}

/** The newest verified release whose ReplicaSet is not `excludingUid` (the release that just failed). */
export function lastVerified(releases: readonly Release[], excludingUid?: string): Release | undefined {
  return [...releases]
    .sort((a, b) => b.id - a.id)
    .find(
      (release) =>
        release.verified !== undefined &&
        release.target !== undefined &&
        release.target.replicaSetUid !== excludingUid,
    );
}

/** Releases a run started and never finished (killed after applying, or cancelled before its undo ended). */
export function unfinished(releases: readonly Release[]): Release[] {
  return releases.filter((release) => release.state === "applying" || release.state === "undo-requested");
}

/** Whether a ReplicaSet (by uid) was verified as part of any release. */
export function isVerified(releases: readonly Release[], replicaSetUid: string): boolean {
  return releases.some((release) => release.verified && release.target?.replicaSetUid === replicaSetUid);
}
