// maxSurge / maxUnavailable as deployment/util resolves them (docs/rollout-semantics.md 3.4): percentages of spec.replicas,
// surge rounded up, unavailable rounded down, both zero -> unavailable 1.
import type { Deployment } from "../../api/kinds.ts";
import type { IntOrString } from "../../api/meta.ts";

export const defaults = {
  replicas: 1,
  maxSurge: "25%",
  maxUnavailable: "25%",
  revisionHistoryLimit: 10,
  progressDeadlineSeconds: 600,
} as const;

export function replicasOf(d: Deployment): number {
  return d.spec.replicas ?? defaults.replicas;
}

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
}

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaledValue(value: IntOrString, total: number, roundUp: boolean): number {
  if (typeof value === "number") return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match)
    throw new Error(`invalid value for IntOrString: invalid value "${value}": strconv.Atoi: parsing`);
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function resolveFenceposts(
  maxSurge: IntOrString | undefined,
  maxUnavailable: IntOrString | undefined,
  desired: number,
): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

function rollingFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const rolling = d.spec.strategy?.rollingUpdate;
  return resolveFenceposts(
    rolling?.maxSurge ?? defaults.maxSurge,
    rolling?.maxUnavailable ?? defaults.maxUnavailable,
    replicasOf(d),
  );
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? rollingFenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  const replicas = replicasOf(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  return Math.min(rollingFenceposts(d).unavailable, replicas);
}

export function progressDeadlineSeconds(d: Deployment): number | undefined {
  const seconds = d.spec.progressDeadlineSeconds ?? defaults.progressDeadlineSeconds;
  // MaxInt32 is how the API spells "no deadline".
  return seconds === 2147483647 ? undefined : seconds;
}

export function revisionHistoryLimit(d: Deployment): number {
  return d.spec.revisionHistoryLimit ?? defaults.revisionHistoryLimit;
}
