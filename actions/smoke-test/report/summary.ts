import { codeBlock, markdownTable } from "../../lib/report/markdown.ts";
import { milliseconds, percent } from "../latency/thresholds.ts";
import type { SmokeResult } from "../run.ts";
import { latencyChart } from "./latency-chart.ts";

const HEADLINE: Record<SmokeResult["result"], string> = {
  passed: "passed",
  failed: "failed",
  "rolled-back": "failed, release undone",
  "rollback-failed": "failed, and the undo failed too",
  "not-started": "not started (the cluster cannot be reached)",
};

const mark = (passed: boolean) => (passed ? "✅ pass" : "❌ fail");

/** The job summary: verdict, a table of checks, latency against thresholds with a chart, the failures. */
export function smokeSummary(result: SmokeResult): string {
  const parts = [
    `## smoke-test: ${HEADLINE[result.result]}`,
    "",
    `Target: ${result.url}`,
    verdictLine(result),
  ];
  parts.push("", "### Checks", "", checksTable(result));
  const { latency } = result;
  if (latency) {
    const shape =
      latency.mode === "open-loop"
        ? `open loop at ${latency.rate} req/s (latency from each request's intended send time)`
        : `closed loop`;
    parts.push(
      "",
      "### Latency",
      "",
      `GET ${latency.path}: ${latency.requests} requests, ${shape}, concurrency ${latency.concurrency}, ` +
        `${Math.round(latency.requestsPerSecond)} req/s over ${(latency.elapsedMs / 1000).toFixed(1)} s.`,
      "",
      markdownTable(
        ["Measure", "Value", "Limit", "Result"],
        result.thresholds.map((t) => {
          const format = t.measure === "error rate" ? percent : milliseconds;
          return [t.measure, format(t.actual), format(t.limit), mark(t.passed)];
        }),
      ),
      "",
      `Status counts: ${Object.entries(latency.statusCounts)
        .map(([status, count]) => `${status}: ${count}`)
        .join(", ")}`,
      "",
      codeBlock(
        latencyChart(
          latency.latencyMs,
          result.thresholds.find((t) => t.measure === "p95")?.limit ?? latency.latencyMs.p95,
          `GET ${latency.path} latency by percentile (bars) and the p95 limit (line)`,
        ),
        "mermaid",
      ),
    );
  }
  if (result.failures.length > 0) {
    parts.push("", "### Why it failed", "", ...result.failures.map((f) => `- ${f.replaceAll("\n", " ")}`));
  }
  return parts.join("\n");
}

function verdictLine(result: SmokeResult): string {
  const { verdict } = result;
  if (!verdict) return "Verdict: none asked (no deployment given).";
  switch (verdict.action) {
    case "marked-verified":
      return `Verdict: ${verdict.release} marked verified.`;
    case "mark-failed":
      return `Verdict: the gate passed but marking the release verified failed: ${verdict.message}`;
    case "rolled-back":
      return `Verdict: undone to ${verdict.release}.`;
    case "rollback-failed":
      return `Verdict: the undo failed: ${verdict.message}`;
  }
}

function checksTable(result: SmokeResult): string {
  const rows: string[][] = [];
  const { readiness } = result;
  rows.push([
    "readiness",
    "GET /healthz, /readyz",
    mark(readiness.ready),
    readiness.ready
      ? `ready after ${readiness.attempts} attempt(s), ${Math.round(readiness.elapsedMs)} ms`
      : (readiness.reason ?? ""),
  ]);
  const { certificate, redirect } = result;
  if (certificate) {
    rows.push([
      "certificate",
      `TLS ${certificate.host}`,
      mark(certificate.passed),
      certificate.passed
        ? `${certificate.names}, valid until ${certificate.validTo} (${certificate.daysLeft} days)`
        : certificate.failures.join("; "),
    ]);
  }
  if (redirect) {
    rows.push([
      "https redirect",
      `GET ${redirect.from}`,
      mark(redirect.passed),
      redirect.passed ? `${redirect.status} to ${redirect.location}` : redirect.failures.join("; "),
    ]);
  }
  for (const check of result.checks) {
    rows.push([
      check.name,
      `${check.method} ${check.path}`,
      mark(check.passed),
      check.passed ? `${check.status} in ${milliseconds(check.durationMs)}` : check.failures.join("; "),
    ]);
  }
  return markdownTable(["Check", "Request", "Result", "Detail"], rows);
}
