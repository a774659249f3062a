// Every long-running container says when it is ready (a readiness probe, which the rollout waits on), and
// every container states requests and limits for cpu and memory (scheduling and OOM behaviour are then
// what the manifest says, not the namespace defaults).
import type { Problem } from "../../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../../manifests/manifest-document.ts";
import { containersOf, groupOf, podSpecOf } from "../pod-templates.ts";

/** Kinds whose pods serve until replaced; Job and CronJob pods run to completion and are not probed for it. */
const serving = new Set(["apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "apps/ReplicaSet", "/Pod"]);
const resources = ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"] as const;

export function containerPolicyProblems(document: ManifestDocument): Problem[] {
  const { object } = document;
  const pod = podSpecOf(object);
  if (!pod) return [];
  const probed = serving.has(`${groupOf(object.apiVersion)}/${object.kind}`);
  const problems: Problem[] = [];
  for (const { path, container, init } of containersOf(pod)) {
    const name = JSON.stringify(container.name);
    // Init containers cannot have one (pkg/apis/core/validation), and run before readiness matters.
    if (probed && !init && container.readinessProbe === undefined) {
      problems.push(
        problemAt(
          document,
          `${path}.readinessProbe`,
          `container ${name} has no readinessProbe`,
          "add one (httpGet on the health endpoint) so the rollout waits for ready pods",
        ),
      );
    }
    const missing = resources.filter((resource) => {
      const [kind = "", name = ""] = resource.split(".");
      const values = container.resources?.[kind as "requests" | "limits"];
      return values?.[name] === undefined;
    });
    if (missing.length > 0) {
      problems.push(
        problemAt(
          document,
          `${path}.resources`,
          `container ${name} sets no ${missing.map((resource) => `resources.${resource}`).join(", ")}`,
          "set requests and limits for cpu and memory on every container",
        ),
      );
    }
  }
  return problems;
}
