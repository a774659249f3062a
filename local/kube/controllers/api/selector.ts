// metav1.LabelSelector matching (matchLabels and matchExpressions), as labels.SelectorFromSet/AsSelector do.
import type { LabelSelector } from "./types.ts";

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return Object.keys(selector?.matchLabels ?? {}).length === 0 && (selector?.matchExpressions ?? []).length === 0;
}

export function selectorMatches(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (have[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = key in have;
    const value = have[key] ?? "";
    if (operator === "In" && !(present && values.includes(value))) return false;
    if (operator === "NotIn" && present && values.includes(value)) return false;
    if (operator === "Exists" && !present) return false;
    if (operator === "DoesNotExist" && present) return false;
  }
  return true;
}
