import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import { apiAlertsOnPrometheus, managedPrometheusWired } from "./prometheus.ts";

const FILE = "terraform/modules/monitoring/main.tf";
const one = (text: string) => parseTfFiles({ [FILE]: text });

const CLUSTER = `
resource "azurerm_kubernetes_cluster" "this" {
  monitor_metrics {}
}`;

const WIRED = `
resource "azurerm_monitor_workspace" "this" {}
resource "azurerm_monitor_data_collection_rule" "prometheus" {
  data_collection_endpoint_id = azurerm_monitor_data_collection_endpoint.prometheus.id
  destinations {
    monitor_account {
      monitor_account_id = azurerm_monitor_workspace.this.id
      name               = "prometheus"
    }
  }
  data_flow {
    streams      = ["Microsoft-PrometheusMetrics"]
    destinations = ["prometheus"]
  }
  data_sources {
    prometheus_forwarder {
      name    = "PrometheusDataSource"
      streams = ["Microsoft-PrometheusMetrics"]
    }
  }
}
resource "azurerm_monitor_data_collection_rule_association" "prometheus" {
  target_resource_id      = var.aks_cluster_id
  data_collection_rule_id = azurerm_monitor_data_collection_rule.prometheus.id
}
resource "azurerm_dashboard_grafana" "this" {
  azure_monitor_workspace_integrations {
    resource_id = azurerm_monitor_workspace.this.id
  }
}
resource "azurerm_role_assignment" "grafana_prometheus_reader" {
  scope                = azurerm_monitor_workspace.this.id
  role_definition_name = "Monitoring Data Reader"
  principal_id         = azurerm_dashboard_grafana.this.identity[0].principal_id
}
resource "azurerm_role_assignment" "grafana_admins" {
  scope                = azurerm_dashboard_grafana.this.id
  role_definition_name = "Grafana Admin"
}`;

describe("managedPrometheusWired", () => {
  test("passes the add-on, the rule, its endpoint and association, and Grafana with its roles", async () => {
    assert.deepEqual(managedPrometheusWired(await one(CLUSTER + WIRED)), []);
  });

  test("names a cluster without the add-on, and one no workspace receives from", async () => {
    assert.deepEqual(managedPrometheusWired(await one(CLUSTER.replace("monitor_metrics {}", ""))), [
      `${FILE}: azurerm_kubernetes_cluster.this: monitor_metrics: is unset: without it the managed Prometheus add-on (ama-metrics) does not run`,
      `${FILE}: azurerm_kubernetes_cluster.this: (monitor workspace): no azurerm_monitor_workspace receives its Prometheus metrics`,
    ]);
  });

  test("names a workspace no rule forwards Prometheus samples to", async () => {
    const files = await one(WIRED.replaceAll("Microsoft-PrometheusMetrics", "Microsoft-Perf"));
    assert.deepEqual(managedPrometheusWired(files), [
      `${FILE}: azurerm_monitor_workspace.this: (data collection rule): no data collection rule forwards Microsoft-PrometheusMetrics (prometheus_forwarder source, data_flow to a monitor_account naming this workspace): nothing reaches it`,
    ]);
  });

  test("names a rule without an endpoint or an association with the cluster", async () => {
    const files = await one(
      WIRED.replace(
        "data_collection_endpoint_id = azurerm_monitor_data_collection_endpoint.prometheus.id",
        "",
      ).replace("var.aks_cluster_id", "azurerm_log_analytics_workspace.this.id"),
    );
    const at = `${FILE}: azurerm_monitor_data_collection_rule.prometheus`;
    assert.deepEqual(managedPrometheusWired(files), [
      `${at}: data_collection_endpoint_id: is unset: the add-on's agents send through a data collection endpoint`,
      `${at}: (association): no data collection rule association ties it to the cluster (var.aks_cluster_id or an azurerm_kubernetes_cluster's id): the add-on sends nothing`,
    ]);
  });

  test("names a workspace no Grafana reads", async () => {
    const files = await one(
      WIRED.replace("resource_id = azurerm_monitor_workspace.this.id", 'resource_id = ""'),
    );
    assert.deepEqual(managedPrometheusWired(files), [
      `${FILE}: azurerm_monitor_workspace.this: (grafana): no azurerm_dashboard_grafana integrates this workspace (azure_monitor_workspace_integrations)`,
    ]);
  });

  test("names a Grafana that cannot read the workspace and that nobody administers", async () => {
    const files = await one(
      WIRED.replace('"Monitoring Data Reader"', '"Monitoring Reader"').replace(
        '"Grafana Admin"',
        '"Grafana Viewer"',
      ),
    );
    const at = `${FILE}: azurerm_dashboard_grafana.this`;
    assert.deepEqual(managedPrometheusWired(files), [
      `${at}: identity: needs "Monitoring Data Reader" on azurerm_monitor_workspace.this: Grafana queries Prometheus as its own identity`,
      `${at}: (Grafana Admin): no role assignment gives "Grafana Admin" on it: nobody could manage its dashboards`,
    ]);
  });
});

const LATENCY = `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="cloudjobhunt", job="backend"}[5m]))) > \${var.latency_threshold_ms / 1000}`;
const ERRORS = `sum(rate(http_requests_total{job="backend", status=~"5.."}[5m])) / sum(rate(http_requests_total{job="backend"}[5m])) > \${var.error_rate_threshold_percent / 100}`;

const rules = (latency: string, errors: string, extra = "") => `
resource "azurerm_monitor_workspace" "this" {}
resource "azurerm_monitor_alert_prometheus_rule_group" "api" {
  scopes = [azurerm_monitor_workspace.this.id, var.aks_cluster_id]
  rule {
    alert      = "Latency"
    expression = <<-PROMQL
      ${latency}
    PROMQL
    action {
      action_group_id = azurerm_monitor_action_group.this.id
    }
  }
  rule {
    alert      = "Errors"
    expression = <<-PROMQL
      ${errors}
    PROMQL
    action {
      action_group_id = azurerm_monitor_action_group.this.id
    }
  }
  ${extra}
}`;

describe("apiAlertsOnPrometheus", () => {
  const at = `${FILE}: azurerm_monitor_alert_prometheus_rule_group.api`;

  test("passes the p95 latency and 5xx share alerts on the API's metrics", async () => {
    assert.deepEqual(apiAlertsOnPrometheus(await one(rules(LATENCY, ERRORS))), []);
  });

  test("names a syntax error, an unknown series and an unknown label", async () => {
    const files = await one(
      rules(
        LATENCY.replace("[5m]))", "[5m])"),
        ERRORS.replace('status=~"5.."', 'status_code=~"5.."').replace(
          "/ sum(rate(http_requests_total{job",
          "/ sum(rate(http_request_total{job",
        ),
      ),
    );
    const problems = apiAlertsOnPrometheus(files);
    assert.match(problems[0] ?? "", /: rule\.Latency\.expression: syntax error at \d+: /);
    assert.deepEqual(problems.slice(1), [
      `${at}: rule.Errors.expression: http_requests_total has no label status_code`,
      `${at}: rule.Errors.expression: unknown series http_request_total`,
      `${FILE}: azurerm_monitor_workspace.this: (rule groups): no Prometheus alert rule on it for the API's error rate: share of http_requests_total with status=~"5.." above var.error_rate_threshold_percent / 100`,
    ]);
  });

  test("names rule groups off the workspace, an alert that notifies nobody, and missing seed alerts", async () => {
    const files = await one(
      rules("avg(http_requests_in_flight) > 100", ERRORS.replace("/ 100}", "}"))
        .replace(
          "scopes = [azurerm_monitor_workspace.this.id, var.aks_cluster_id]",
          "scopes = [var.aks_cluster_id]",
        )
        .replace(/action \{\n\s+action_group_id = azurerm_monitor_action_group\.this\.id\n\s+\}/, ""),
    );
    assert.deepEqual(apiAlertsOnPrometheus(files), [
      `${at}: scopes: must name an azurerm_monitor_workspace: the rules run on its Prometheus data`,
      `${at}: rule.Latency.action: is unset: the alert would notify nobody`,
      `${FILE}: azurerm_monitor_workspace.this: (rule groups): no Prometheus alert rule on it for the API's latency: p95 of http_request_duration_seconds_bucket above var.latency_threshold_ms / 1000`,
      `${FILE}: azurerm_monitor_workspace.this: (rule groups): no Prometheus alert rule on it for the API's error rate: share of http_requests_total with status=~"5.." above var.error_rate_threshold_percent / 100`,
    ]);
  });

  test("checks recording rules' expressions too", async () => {
    const files = await one(
      rules(
        LATENCY,
        ERRORS,
        'rule {\n    record     = "api:requests:rate5m"\n    expression = "sum(rate(requests_total[5m]))"\n  }',
      ),
    );
    assert.deepEqual(apiAlertsOnPrometheus(files), [
      `${at}: rule.api:requests:rate5m.expression: unknown series requests_total`,
    ]);
  });
});
