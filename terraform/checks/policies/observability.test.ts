import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import { aksAuditLogsLimited, diagnosticSettings, seedAlerts } from "./observability.ts";

const variable = (name: string, value: number) =>
  `variable "${name}" {\n  type    = number\n  default = ${value}\n}\n`;
const MONITORING = `
locals {
  log_alerts = {
    pod-cpu = {
      query = "Perf | where CounterName == \\"cpuUsageNanoCores\\" | where CpuPercent > \${var.cpu_threshold_percent}"
    }
    crash-loop = {
      query = "KubePodInventory | where ContainerStatusReason == \\"CrashLoopBackOff\\""
    }
  }
}
resource "azurerm_monitor_metric_alert" "node_cpu" {
  window_size = "PT5M"
  criteria {
    metric_name = "node_cpu_usage_percentage"
    operator    = "GreaterThan"
    threshold   = var.cpu_threshold_percent
    dimension {
      name     = "node"
      operator = "Include"
      values   = ["*"]
    }
  }
}
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "rules" {
  for_each        = local.log_alerts
  window_duration = "PT5M"
}`;

describe("seedAlerts", () => {
  test("names a node CPU alert that does not fire above the threshold variable", async () => {
    const files = await parseTfFiles({
      "terraform/modules/monitoring/main.tf": MONITORING.replace(
        'operator    = "GreaterThan"',
        'operator    = "LessThan"',
      ),
      "terraform/modules/monitoring/variables.tf":
        variable("cpu_threshold_percent", 80) +
        variable("latency_threshold_ms", 500) +
        variable("error_rate_threshold_percent", 1),
    });
    assert.deepEqual(seedAlerts(files), [
      "terraform/modules/monitoring/main.tf: azurerm_monitor_metric_alert.node_cpu: criteria: must fire when the metric is GreaterThan var.cpu_threshold_percent",
    ]);
  });

  test("names a node CPU alert on the cluster average", async () => {
    const files = await parseTfFiles({
      "terraform/modules/monitoring/main.tf": MONITORING.replace(
        'name     = "node"',
        'name     = "nodepool"',
      ),
      "terraform/modules/monitoring/variables.tf":
        variable("cpu_threshold_percent", 80) +
        variable("latency_threshold_ms", 500) +
        variable("error_rate_threshold_percent", 1),
    });
    assert.deepEqual(seedAlerts(files), [
      `terraform/modules/monitoring/main.tf: azurerm_monitor_metric_alert.node_cpu: criteria.dimension: must split by "node" (Include ["*"]): the seed alerts on a node's CPU, not the cluster average`,
    ]);
  });

  test("passes the seed's four alerts with its thresholds", async () => {
    const files = await parseTfFiles({
      "terraform/modules/monitoring/main.tf": MONITORING,
      "terraform/modules/monitoring/variables.tf":
        variable("cpu_threshold_percent", 80) +
        variable("latency_threshold_ms", 500) +
        variable("error_rate_threshold_percent", 1),
    });
    assert.deepEqual(seedAlerts(files), []);
  });

  test("names a longer window, other thresholds and a missing CrashLoopBackOff alert", async () => {
    const files = await parseTfFiles({
      "terraform/modules/monitoring/main.tf": MONITORING.replace(
        'window_size = "PT5M"',
        'window_size = "PT15M"',
      )
        .replace('window_duration = "PT5M"', 'window_duration = "PT1H"')
        .replace("CrashLoopBackOff", "Running"),
      "terraform/modules/monitoring/variables.tf":
        variable("cpu_threshold_percent", 90) +
        variable("latency_threshold_ms", 500) +
        variable("error_rate_threshold_percent", 5),
    });
    const at = "terraform/modules/monitoring";
    assert.deepEqual(seedAlerts(files), [
      `${at}/main.tf: azurerm_monitor_metric_alert.node_cpu: window_size: is "PT15M", must be "PT5M" (5 minutes)`,
      `${at}/variables.tf: variable.cpu_threshold_percent: default: is 90, the seed asks for 80`,
      `${at}/variables.tf: variable.error_rate_threshold_percent: default: is 5, the seed asks for 1`,
      `${at}/main.tf: azurerm_monitor_scheduled_query_rules_alert_v2.rules: window_duration: is "PT1H", must be "PT5M"`,
      `${at}: locals.log_alerts: crash-loop: missing, or its query does not match /CrashLoopBackOff/`,
    ]);
  });

  test("names a node CPU alert with no log alert rules beside it", async () => {
    const files = await parseTfFiles({
      "terraform/modules/monitoring/main.tf":
        MONITORING.split('resource "azurerm_monitor_scheduled_query_rules_alert_v2"')[0] ?? "",
      "terraform/modules/monitoring/variables.tf":
        variable("cpu_threshold_percent", 80) +
        variable("latency_threshold_ms", 500) +
        variable("error_rate_threshold_percent", 1),
    });
    assert.deepEqual(seedAlerts(files), [
      "terraform/modules/monitoring/main.tf: azurerm_monitor_scheduled_query_rules_alert_v2: for_each: no log alert rule iterates local.log_alerts",
    ]);
  });
});

describe("diagnosticSettings", () => {
  test("names an environment that leaves resources out of the diagnostics", async () => {
    const files = await parseTfFiles({
      "terraform/environments/dev/main.tf": `
module "monitoring" {
  source = "../../modules/monitoring"
  diagnostic_targets = {
    aks = module.aks.cluster_id
    acr = module.acr.id
  }
}`,
    });
    assert.deepEqual(diagnosticSettings(files), [
      "terraform/environments/dev/main.tf: module.monitoring: diagnostic_targets: lacks keyvault, postgresql",
    ]);
  });
});

describe("aksAuditLogsLimited", () => {
  const SETTING = `
locals {
  aks_log_categories = ["kube-audit-admin", "guard", "cluster-autoscaler"]
}
resource "azurerm_monitor_diagnostic_setting" "this" {
  dynamic "enabled_log" {
    for_each = each.key == "aks" ? local.aks_log_categories : []
    content {
      category = enabled_log.value
    }
  }
  dynamic "enabled_log" {
    for_each = each.key == "aks" ? [] : ["allLogs"]
    content {
      category_group = enabled_log.value
    }
  }
}`;
  const FILE = "terraform/modules/monitoring/main.tf";

  test("passes AKS on its own categories and allLogs for the rest", async () => {
    assert.deepEqual(aksAuditLogsLimited(await parseTfFiles({ [FILE]: SETTING })), []);
  });

  test("names allLogs for AKS and a category list with kube-audit", async () => {
    const files = await parseTfFiles({
      [FILE]: `
locals {
  aks_log_categories = ["kube-audit", "guard"]
}
resource "azurerm_monitor_diagnostic_setting" "this" {
  enabled_log {
    category_group = "allLogs"
  }
}`,
    });
    const at = `${FILE}: azurerm_monitor_diagnostic_setting.this: enabled_log`;
    assert.deepEqual(aksAuditLogsLimited(files), [
      `${at}: AKS must get its own categories (local.aks_log_categories), not allLogs`,
      `${at}: allLogs must leave AKS out: it includes kube-audit`,
      `terraform/modules/monitoring/main.tf: locals: aks_log_categories: is ["kube-audit","guard"], must hold kube-audit-admin and guard and not kube-audit`,
    ]);
  });
});
