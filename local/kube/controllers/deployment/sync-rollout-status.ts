// syncRolloutStatus (progress.go; rule 3.7): status with the Progressing and Available conditions, written
// when it changed; otherwise a re-check when a pod becomes available or the deadline passes.
import { isDeepStrictEqual } from "node:util";
import type { ReplicaSet } from "../../api/kinds.ts";
import { resources } from "../../api/resources.ts";
import { recheckAfterMs, withRolloutConditions } from "./progress.ts";
import { calculateStatus } from "./status.ts";
import { now, type Sync, type SyncContext, writeStatus } from "./sync-context.ts";

export function syncRolloutStatus(
  ctx: SyncContext,
  s: Sync,
  allRSs: ReplicaSet[],
  newRS: ReplicaSet | undefined,
): void {
  const { now: at, text } = now(ctx);
  // Status is computed from the ReplicaSets' latest status, as the informer cache would show it.
  const fresh = (rs: ReplicaSet) =>
    ctx.store.get(resources.replicasets, rs.metadata.namespace, rs.metadata.name) ?? rs;
  const current = allRSs.map(fresh);
  const currentNew = newRS && fresh(newRS);
  const status = withRolloutConditions(
    s.d,
    current,
    currentNew,
    calculateStatus(s.d, current, currentNew, text),
    at,
    text,
  );
  if (isDeepStrictEqual(status, s.d.status)) {
    const after = recheckAfterMs(s.d, status, at);
    if (after !== undefined) ctx.requeueAfter(s.key, after);
    return;
  }
  writeStatus(ctx, s, status);
}
