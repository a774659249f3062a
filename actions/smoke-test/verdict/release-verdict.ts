/**
 * What the gate's verdict acts on: the release ledger of the deployment it checked. The entry wires it to
 * aks-deploy's core (the same ledger and undo a deploy uses); the core here only decides when to call it.
 */
export interface ReleaseVerdict {
  /** Marks the release the deployment runs now as verified; resolves with a description of that release. */
  markVerified(): Promise<string>;
  /** Undoes to the last verified release; resolves with what it went back to, rejects when the undo failed. */
  undo(reason: string): Promise<string>;
}

export type VerdictOutcome =
  | { action: "marked-verified"; release: string }
  | { action: "mark-failed"; message: string }
  | { action: "rolled-back"; release: string; reason: string }
  | { action: "rollback-failed"; reason: string; message: string };

/** Passed: mark the release verified. Failed: undo it, giving the gate's failures as the reason. */
export async function applyVerdict(
  verdict: ReleaseVerdict,
  passed: boolean,
  failures: readonly string[],
): Promise<VerdictOutcome> {
  if (passed) {
    try {
      return { action: "marked-verified", release: await verdict.markVerified() };
    } catch (error) {
      return { action: "mark-failed", message: (error as Error).message };
    }
  }
  const reason = `smoke test failed: ${failures.join("; ")}`;
  try {
    return { action: "rolled-back", release: await verdict.undo(reason), reason };
  } catch (error) {
    return { action: "rollback-failed", reason, message: (error as Error).message };
  }
}
