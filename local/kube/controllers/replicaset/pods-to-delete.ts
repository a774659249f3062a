// Which surplus pods a ReplicaSet deletes first (controller.ActivePodsWithRanks): unscheduled before
// scheduled, Pending before Unknown before Running, not ready before ready, ready for less time first, more
// restarts first, newest first.

import type { Pod } from "../../api/kinds.ts";
import { timeOf } from "../../api/meta.ts";
import { getCondition } from "../api/conditions.ts";
import { isPodReady } from "../api/pod.ts";

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((sum, status) => sum + status.restartCount, 0);
}

export function deletionOrder(a: Pod, b: Pod): number {
  const scheduled = (pod: Pod) => (pod.spec.nodeName ? 1 : 0);
  if (scheduled(a) !== scheduled(b)) return scheduled(a) - scheduled(b);
  const phase = (pod: Pod) => phaseRank[pod.status?.phase ?? "Pending"] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  const ready = (pod: Pod) => (isPodReady(pod) ? 1 : 0);
  if (ready(a) !== ready(b)) return ready(a) - ready(b);
  if (isPodReady(a) && isPodReady(b)) {
    // Ready more recently (a later transition) goes first.
    const since = (pod: Pod) => timeOf(getCondition(pod.status?.conditions, "Ready")?.lastTransitionTime);
    if (since(a) !== since(b)) return since(b) - since(a);
  }
  if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a);
  return timeOf(b.metadata.creationTimestamp) - timeOf(a.metadata.creationTimestamp);
}

export function podsToDelete(pods: Pod[], count: number): Pod[] {
  return [...pods].sort(deletionOrder).slice(0, count);
}
