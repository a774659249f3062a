// Every PromQL expression of k8s/prod (the PrometheusRule's alerts, the Grafana dashboard's panels) parsed by
// Prometheus' own grammar (@prometheus-io/lezer-promql, from the prometheus repository), and every selector
// checked against the series that exist: the API's (server/ops/metrics.ts) with their label names, and the
// cAdvisor / kube-state-metrics series the cluster's Prometheus scrapes.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parser } from "@prometheus-io/lezer-promql";
import { declaredMetrics, seriesOf } from "./api-metrics.ts";
import { find, renderKustomization } from "./render.ts";

/** Labels Prometheus adds to every scraped series (ServiceMonitor target labels). */
const targetLabels = ["namespace", "job", "pod", "service", "instance", "endpoint", "container"];

/** Cluster series the alerts use, with the labels they carry (cAdvisor, kube-state-metrics v2). */
const clusterSeries: Record<string, string[]> = {
  container_cpu_usage_seconds_total: ["namespace", "pod", "container"],
  container_memory_working_set_bytes: ["namespace", "pod", "container"],
  kube_pod_container_resource_limits: ["namespace", "pod", "container", "resource", "unit", "node"],
  kube_pod_container_status_waiting_reason: ["namespace", "pod", "container", "reason"],
};

const apiSeries = new Map(
  declaredMetrics()
    .flatMap(seriesOf)
    .map((s) => [s.name, [...s.labelNames, ...targetLabels]]),
);

/** Syntax errors, unknown series and unknown label names of one expression. */
export function promqlProblems(expr: string): string[] {
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
      const labels = apiSeries.get(name) ?? clusterSeries[name];
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

interface PrometheusRule {
  spec: { groups: { rules: { alert: string; expr: string }[] }[] };
}

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

const objects = await renderKustomization("k8s/prod");

describe("PromQL of the alerts", () => {
  const rules = find<PrometheusRule>(objects, "PrometheusRule", "backend").spec.groups.flatMap(
    (g) => g.rules,
  );

  it("are the seed's four", () =>
    assert.deepEqual(
      rules.map((r) => r.alert),
      [
        "CloudJobHuntApiHighCpu",
        "CloudJobHuntApiCrashLooping",
        "CloudJobHuntApiHighLatency",
        "CloudJobHuntApiHighErrorRate",
      ],
    ));

  for (const rule of rules) it(rule.alert, () => assert.deepEqual(promqlProblems(rule.expr), []));
});

describe("PromQL of the dashboard", () => {
  const configMap = find<{ data: Record<string, string> }>(
    objects,
    "ConfigMap",
    "cloudjobhunt-api-dashboard",
  );
  const dashboard = JSON.parse(configMap.data["cloudjobhunt-api.json"] ?? "{}") as Dashboard;

  it("has the seed's five panels", () => assert.equal(dashboard.panels.length, 5));

  for (const panel of dashboard.panels)
    it(panel.title, () =>
      assert.deepEqual(
        panel.targets.flatMap((t) => promqlProblems(t.expr)),
        [],
      ),
    );
});

describe("the PromQL check catches", () => {
  it("a syntax error", () =>
    assert.match(promqlProblems("rate(http_requests_total[5m]")[0] ?? "", /^syntax error at 28/));
  it("a metric the API does not export", () =>
    assert.deepEqual(promqlProblems('rate(http_request_total{job="backend"}[5m])'), [
      "unknown series http_request_total",
    ]));
  it("a label the metric does not have", () =>
    assert.deepEqual(promqlProblems('sum(rate(http_requests_total{status_code=~"5.."}[5m]))'), [
      "http_requests_total has no label status_code",
    ]));
  it("reads the API's metrics from its source", () =>
    assert.deepEqual(
      declaredMetrics()
        .map((m) => m.name)
        .sort(),
      [
        "db_pool_connections",
        "db_pool_max",
        "http_request_duration_seconds",
        "http_requests_in_flight",
        "http_requests_total",
      ],
    ));
});
