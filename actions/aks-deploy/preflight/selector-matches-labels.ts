// A controller's selector must select its own pod template, as ValidateDeploymentSpec (and the
// StatefulSet, DaemonSet and ReplicaSet equivalents) in pkg/apis/apps/validation require: else the API
// rejects it with "`selector` does not match template `labels`", or an empty selector matches everything.
import type { V1LabelSelector } from "@kubernetes/client-node";
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";
import { groupOf } from "./pod-templates.ts";

const selecting = new Set(["apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "apps/ReplicaSet"]);

/** labels.SelectorFromSet semantics of a LabelSelector (metav1.LabelSelectorAsSelector). */
export function selectorMatches(selector: V1LabelSelector, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {}))
    if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const value = labels[expression.key];
    const values = expression.values ?? [];
    const matches =
      expression.operator === "In"
        ? value !== undefined && values.includes(value)
        : expression.operator === "NotIn"
          ? value === undefined || !values.includes(value)
          : expression.operator === "Exists"
            ? value !== undefined
            : expression.operator === "DoesNotExist"
              ? value === undefined
              : false;
    if (!matches) return false;
  }
  return true;
}

export function selectorProblems(document: ManifestDocument): Problem[] {
  const { object } = document;
  if (!selecting.has(`${groupOf(object.apiVersion)}/${object.kind}`)) return [];
  const spec = (
    object as {
      spec?: { selector?: V1LabelSelector; template?: { metadata?: { labels?: Record<string, string> } } };
    }
  ).spec;
  const selector = spec?.selector;
  if (typeof selector !== "object" || selector === null) return []; // required: the schema reports it
  if (
    Object.keys(selector.matchLabels ?? {}).length === 0 &&
    (selector.matchExpressions ?? []).length === 0
  ) {
    return [
      problemAt(
        document,
        "spec.selector",
        "empty selector: it would select every pod in the namespace",
        "set spec.selector.matchLabels to the template's app label",
      ),
    ];
  }
  const labels = spec?.template?.metadata?.labels ?? {};
  if (selectorMatches(selector, labels)) return [];
  return [
    problemAt(
      document,
      "spec.template.metadata.labels",
      `\`selector\` does not match template \`labels\` (selector ${JSON.stringify(selector)}, labels ${JSON.stringify(labels)})`,
      "give the pod template every label the selector requires",
    ),
  ];
}
