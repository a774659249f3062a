// A metav1.LabelSelector as the `labelSelector` query string (metav1.LabelSelectorAsSelector's syntax).
import type { V1LabelSelector } from "@kubernetes/client-node";

export function labelSelectorText(selector: V1LabelSelector | undefined): string {
  const labels = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector?.matchExpressions ?? []).map(({ key, operator, values = [] }) => {
    switch (operator) {
      case "In":
        return `${key} in (${[...values].sort().join(",")})`;
      case "NotIn":
        return `${key} notin (${[...values].sort().join(",")})`;
      case "Exists":
        return key;
      case "DoesNotExist":
        return `!${key}`;
      default:
        throw new RangeError(`label selector: "${operator}" is not a valid operator for key "${key}"`);
    }
  });
  return [...labels, ...expressions].join(",");
}
