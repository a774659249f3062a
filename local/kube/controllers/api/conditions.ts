// Condition bookkeeping as pkg/controller/deployment/util does it: a condition with the same status and
// reason is left alone; the same status keeps its lastTransitionTime.
import type { Condition } from "../../api/meta.ts";

export function getCondition(conditions: Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((condition) => condition.type === type);
}

export function newCondition(
  type: string,
  status: Condition["status"],
  reason: string,
  message: string,
  now: string,
): Condition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/** SetDeploymentCondition: returns the new list (the input is not modified). */
export function setCondition(conditions: Condition[] | undefined, condition: Condition): Condition[] {
  const current = getCondition(conditions, condition.type);
  if (current && current.status === condition.status && current.reason === condition.reason)
    return conditions ?? [];
  const next = { ...condition };
  if (current && current.status === condition.status) next.lastTransitionTime = current.lastTransitionTime;
  return [...removeCondition(conditions, condition.type), next];
}

export function removeCondition(conditions: Condition[] | undefined, type: string): Condition[] {
  return (conditions ?? []).filter((condition) => condition.type !== type);
}
