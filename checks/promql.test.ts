// Every PromQL expression of the Managed Grafana dashboard (terraform/dashboards/, terraform/README.md) checked
// by checks/promql.ts (Prometheus' own grammar, and every selector against the series that exist): the API's
// (server/ops/metrics.ts) with their label names, and the cAdvisor / kube-state-metrics series managed
// Prometheus scrapes. The alerts are Terraform's Prometheus rule groups, checked by the same code in
// terraform/checks/policies/prometheus.ts.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { declaredMetrics } from "./api-metrics.ts";
import { apiSeries, promqlProblems as problemsIn } from "./promql.ts";

/** Cluster series the dashboard uses, with the labels they carry (cAdvisor, kube-state-metrics v2). */
const clusterSeries: Record<string, string[]> = {
  container_cpu_usage_seconds_total: ["namespace", "pod", "container"],
  container_memory_working_set_bytes: ["namespace", "pod", "container"],
  kube_pod_container_resource_limits: ["namespace", "pod", "container", "resource", "unit", "node"],
  kube_pod_container_status_waiting_reason: ["namespace", "pod", "container", "reason"],
};

const known = new Map([...apiSeries(), ...Object.entries(clusterSeries)]);
const promqlProblems = (expr: string) => problemsIn(expr, known);

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

const DASHBOARD = new URL("../terraform/dashboards/cloudjobhunt-api.json", import.meta.url);

describe("PromQL of the dashboard", async () => {
  const dashboard = JSON.parse(await readFile(DASHBOARD, "utf8")) as Dashboard;

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
