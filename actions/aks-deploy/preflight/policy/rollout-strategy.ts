// A Deployment's rollout must never take serving pods away and must be able to fail: RollingUpdate with
// maxUnavailable 0 (new pods come up before old ones go; maxSurge must then be above 0, as
// ValidateRollingUpdateDeployment requires) and an explicit progressDeadlineSeconds, so a stuck rollout is
// reported as ProgressDeadlineExceeded within a deadline the team chose.
import type { V1Deployment } from "@kubernetes/client-node";
import type { Problem } from "../../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../../manifests/manifest-document.ts";
import { groupOf } from "../pod-templates.ts";

const isZero = (value: unknown) => value === 0 || value === "0%" || value === "0";

export function rolloutStrategyProblems(document: ManifestDocument): Problem[] {
  const { object } = document;
  if (groupOf(object.apiVersion) !== "apps" || object.kind !== "Deployment") return [];
  const spec = (object as V1Deployment).spec;
  const problems: Problem[] = [];
  const strategy = spec?.strategy;
  if (strategy?.type === "Recreate") {
    problems.push(
      problemAt(
        document,
        "spec.strategy.type",
        "strategy Recreate stops every pod before the new ones start",
        "use type: RollingUpdate with rollingUpdate.maxUnavailable: 0",
      ),
    );
  } else {
    const maxUnavailable = strategy?.rollingUpdate?.maxUnavailable;
    const maxSurge = strategy?.rollingUpdate?.maxSurge;
    if (!isZero(maxUnavailable)) {
      problems.push(
        problemAt(
          document,
          "spec.strategy.rollingUpdate.maxUnavailable",
          maxUnavailable === undefined
            ? "maxUnavailable is not set (the default 25% lets a rollout take serving pods away)"
            : `maxUnavailable is ${JSON.stringify(maxUnavailable)}: a rollout may take serving pods away`,
          "set spec.strategy.rollingUpdate.maxUnavailable: 0",
        ),
      );
    } else if (isZero(maxSurge)) {
      problems.push(
        problemAt(
          document,
          "spec.strategy.rollingUpdate.maxSurge",
          "maxSurge may not be 0 when maxUnavailable is 0: the rollout could never start a new pod",
          "set maxSurge to 1 or more (or a percentage)",
        ),
      );
    }
  }
  if (spec?.progressDeadlineSeconds === undefined) {
    problems.push(
      problemAt(
        document,
        "spec.progressDeadlineSeconds",
        "progressDeadlineSeconds is not set",
        "set it (e.g. 120) so a stuck rollout fails with ProgressDeadlineExceeded when you expect",
      ),
    );
  }
  return problems;
}
