// PromQL checked offline: parsed by Prometheus' own grammar (@prometheus-io/lezer-promql, from the prometheus
// repository), and every selector checked against the series that exist, with their label names. Used for
// k8s/prod's PrometheusRule and dashboard (checks/promql.test.ts) and for Terraform's Prometheus rule groups
// (terraform/checks/policies/prometheus.ts).
import { parser } from "@prometheus-io/lezer-promql";
import { declaredMetrics, seriesOf } from "./api-metrics.ts";

/** Series name => the label names it carries. */
export type KnownSeries = ReadonlyMap<string, readonly string[]>;

/** Labels Prometheus adds to every series scraped through a ServiceMonitor (its target labels). */
export const TARGET_LABELS = ["namespace", "job", "pod", "service", "instance", "endpoint", "container"];

/** The API's series (server/ops/metrics.ts) with their own labels, the target labels and `extraLabels`. */
export function apiSeries(extraLabels: readonly string[] = []): Map<string, string[]> {
  return new Map(
    declaredMetrics()
      .flatMap(seriesOf)
      .map((s) => [s.name, [...s.labelNames, ...TARGET_LABELS, ...extraLabels]]),
  );
}

/** Syntax errors, unknown series and unknown label names of one expression. */
export function promqlProblems(expr: string, known: KnownSeries): string[] {
  const problems: string[] = [];
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError)
        problems.push(
          `syntax error at ${node.from}: "${expr.slice(Math.max(0, node.from - 20), node.from + 10)}"`,
        );
      if (node.name !== "VectorSelector") return;
      const metric = node.node.getChild("Identifier");
      const name = metric ? expr.slice(metric.from, metric.to) : "";
      const labels = known.get(name);
      if (!labels) {
        problems.push(`unknown series ${name}`);
        return;
      }
      const matchers = node.node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? [];
      for (const matcher of matchers) {
        const label = matcher.getChild("LabelName");
        const labelName = label ? expr.slice(label.from, label.to) : "";
        if (!labels.includes(labelName)) problems.push(`${name} has no label ${labelName}`);
      }
    },
  });
  return problems;
}
