// Pod readiness and availability (docs/rollout-semantics.md 3.9): available = Ready for at least minReadySeconds.

import type { Pod } from "../../api/kinds.ts";
import { timeOf } from "../../api/meta.ts";
import { getCondition } from "./conditions.ts";

export function isPodReady(pod: Pod): boolean {
  return getCondition(pod.status?.conditions, "Ready")?.status === "True";
}

export function isPodAvailable(pod: Pod, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds === 0) return true;
  const since = timeOf(getCondition(pod.status?.conditions, "Ready")?.lastTransitionTime);
  return since > 0 && since + minReadySeconds * 1000 <= now.getTime();
}

/** ms until a ready pod becomes available, or undefined when it is not ready or already available. */
export function msUntilAvailable(pod: Pod, minReadySeconds: number, now: Date): number | undefined {
  if (!isPodReady(pod) || isPodAvailable(pod, minReadySeconds, now)) return undefined;
  const since = timeOf(getCondition(pod.status?.conditions, "Ready")?.lastTransitionTime);
  return since + minReadySeconds * 1000 - now.getTime();
}

/** FilterActivePods: not terminating, not finished. */
export function isPodActive(pod: Pod): boolean {
  return (
    pod.metadata.deletionTimestamp === undefined &&
    pod.status?.phase !== "Succeeded" &&
    pod.status?.phase !== "Failed"
  );
}
