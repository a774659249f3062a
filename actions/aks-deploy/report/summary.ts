// The Markdown summary (GitHub's job summary, Jenkins' archived summary.md) of a deploy or rollback run.
import { codeBlock, markdownTable } from "../../lib/report/markdown.ts";
import { formatProblem } from "../../lib/report/problem.ts";
import type { DeployResult } from "../result.ts";
import { describeSignal } from "../wait/wait-for-rollout.ts";

const headline: Record<DeployResult["result"], string> = {
  deployed: "deployed and healthy",
  validated: "pre-flight passed (dry run)",
  "rolled-back": "rolled back",
  "rollback-failed": "failed, and the rollback failed too: a person is needed",
  invalid: "invalid input: nothing was applied",
  "not-started": "not started: nothing was applied",
};

export function deploySummary(result: DeployResult): string {
  const title = `## aks-deploy ${result.mode}: ${result.deployment ?? ""} in ${result.namespace}: ${
    result.result === "rolled-back" && result.mode === "deploy"
      ? "failed and rolled back"
      : headline[result.result]
  }`;
  const lines = [title, "", result.message, ""];
  const facts: string[][] = [];
  if (result.revision !== undefined) facts.push(["revision", String(result.revision)]);
  if (result.previousRevision !== undefined)
    facts.push(["previous revision", String(result.previousRevision)]);
  if (result.digest) facts.push(["digest", result.digest]);
  for (const image of result.images ?? []) facts.push(["image", image]);
  if (result.lockHolder)
    facts.push(["deploy lock held by", `${result.lockHolder.identity} since ${result.lockHolder.since}`]);
  if (result.undo)
    facts.push([
      "undo to",
      result.undo.because + (result.undo.unconfirmed ? " (requested, not confirmed)" : ""),
    ]);
  if (facts.length > 0) lines.push(markdownTable(["", ""], facts), "");
  if (result.problems?.length)
    lines.push(
      "### Problems",
      "",
      ...result.problems.map((problem) => `- ${formatProblem(problem).replaceAll("\n", " ")}`),
      "",
    );
  for (const recovered of result.recovered ?? [])
    lines.push(
      `> An earlier run (${recovered.run}, release ${recovered.release}, started ${recovered.startedAt}) was left ${recovered.state}: ${recovered.outcome}.`,
      "",
    );
  if (result.failure) {
    lines.push("### Why it failed", "", `${result.failure.cause}: ${result.failure.message}`, "");
    if (result.failure.signals.length > 0)
      lines.push(...result.failure.signals.map((signal) => `- ${describeSignal(signal)}`), "");
  }
  const diagnostics = result.diagnostics;
  if (diagnostics && diagnostics.containers.length > 0)
    lines.push(
      "### Containers",
      "",
      markdownTable(
        ["pod", "container", "state", "restarts", "last termination"],
        diagnostics.containers.map((container) => [
          container.pod,
          container.container,
          container.message ? `${container.state}: ${container.message}` : container.state,
          String(container.restarts),
          container.lastTermination ?? "",
        ]),
      ),
      "",
    );
  if (diagnostics && diagnostics.events.length > 0)
    lines.push(
      "### Warning events",
      "",
      markdownTable(
        ["object", "reason", "message", "count"],
        diagnostics.events.map((event) => [event.object, event.reason, event.message, String(event.count)]),
      ),
      "",
    );
  for (const log of diagnostics?.logs ?? []) {
    lines.push(`#### Log of ${log.pod} ${log.container}${log.previous ? " (previous instance)" : ""}`, "");
    lines.push(log.unavailable ? `not available: ${log.unavailable}` : codeBlock(log.lines.join("\n")), "");
  }
  return lines.join("\n").trimEnd();
}
