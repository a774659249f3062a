# Log Analytics, an action group, the seed's alerts (node and pod CPU, CrashLoopBackOff, API latency, API
# error rate), diagnostic settings for the estate's resources, and managed Prometheus (Azure Monitor workspace
# fed by the cluster's ama-metrics add-on) with Azure Managed Grafana reading it and the logs.

locals {
  suffix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { module = "monitoring", environment = var.environment })

  aks_log_categories = ["kube-audit-admin", "guard", "kube-controller-manager", "cluster-autoscaler"]

  # The rule groups' cluster_name: the last segment of the cluster's ID (whose form variables.tf validates).
  aks_cluster_name = regex("[^/]+$", var.aks_cluster_id)

  # The seed's alerts that need Container Insights data: each is a log query returning a row per offender.
  # The API's latency and error rate are Prometheus rule groups on its own metrics (below), not log queries.
  log_alerts = {
    pod-cpu = {
      severity    = 2
      description = "A container used more than ${var.cpu_threshold_percent}% of its CPU limit on average over 5 minutes."
      query       = <<-KQL
        let cpuLimits = Perf
          | where ObjectName == "K8SContainer" and CounterName == "cpuLimitNanoCores"
          | summarize LimitNanoCores = max(CounterValue) by InstanceName;
        Perf
        | where ObjectName == "K8SContainer" and CounterName == "cpuUsageNanoCores"
        | summarize UsageNanoCores = avg(CounterValue) by InstanceName
        | join kind=inner cpuLimits on InstanceName
        | extend CpuPercent = 100.0 * UsageNanoCores / LimitNanoCores
        | where CpuPercent > ${var.cpu_threshold_percent}
        | project InstanceName, CpuPercent
      KQL
    }
    crash-loop = {
      severity    = 1
      description = "A pod is in CrashLoopBackOff."
      query       = <<-KQL
        KubePodInventory
        | where ContainerStatusReason == "CrashLoopBackOff"
        | summarize Restarts = max(ContainerRestartCount) by Namespace, Name
      KQL
    }
  }
}

resource "azurerm_log_analytics_workspace" "this" {
  name                = "log-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = "PerGB2018"
  retention_in_days   = var.log_retention_days
  daily_quota_gb      = var.daily_quota_gb
  tags                = local.tags
}

resource "azurerm_monitor_action_group" "this" {
  name                = "ag-${local.suffix}"
  resource_group_name = var.resource_group_name
  short_name          = substr("${var.project}${var.environment}", 0, 12)
  tags                = local.tags

  dynamic "email_receiver" {
    for_each = var.alert_email_receivers

    content {
      name                    = email_receiver.key
      email_address           = email_receiver.value
      use_common_alert_schema = true
    }
  }
}

# Node CPU is an AKS platform metric: no query needed.
resource "azurerm_monitor_metric_alert" "node_cpu" {
  name                = "alert-${local.suffix}-node-cpu"
  resource_group_name = var.resource_group_name
  scopes              = [var.aks_cluster_id]
  description         = "A node's CPU usage stayed above ${var.cpu_threshold_percent}% on average over 5 minutes."
  severity            = 2
  frequency           = "PT1M"
  window_size         = "PT5M"
  tags                = local.tags

  criteria {
    metric_namespace = "Microsoft.ContainerService/managedClusters"
    metric_name      = "node_cpu_usage_percentage"
    aggregation      = "Average"
    operator         = "GreaterThan"
    threshold        = var.cpu_threshold_percent

    # One time series per node: a single hot node fires, where the cluster average would hide it.
    dimension {
      name     = "node"
      operator = "Include"
      values   = ["*"]
    }
  }

  action {
    action_group_id = azurerm_monitor_action_group.this.id
  }
}

resource "azurerm_monitor_scheduled_query_rules_alert_v2" "container_insights" {
  for_each = local.log_alerts

  name                    = "alert-${local.suffix}-${each.key}"
  location                = var.location
  resource_group_name     = var.resource_group_name
  scopes                  = [azurerm_log_analytics_workspace.this.id]
  description             = each.value.description
  severity                = each.value.severity
  evaluation_frequency    = "PT5M"
  window_duration         = "PT5M"
  auto_mitigation_enabled = true
  # KubePodInventory exists only once Container Insights has sent data: Azure would
  # refuse these rules on a new workspace ("Failed to resolve table").
  # The AKS baseline reference architecture (github.com/mspnp/aks-baseline) sets skipQueryValidation so.
  skip_query_validation = true
  tags                  = local.tags

  # Created after the cluster whose agent fills the tables the queries read.
  depends_on = [var.aks_cluster_id]

  criteria {
    query                   = each.value.query
    time_aggregation_method = "Count"
    operator                = "GreaterThan"
    threshold               = 0

    failing_periods {
      minimum_failing_periods_to_trigger_alert = 1
      number_of_evaluation_periods             = 1
    }
  }

  action {
    action_groups = [azurerm_monitor_action_group.this.id]
  }
}

# Platform logs and metrics of every resource of the estate go to the same workspace.
resource "azurerm_monitor_diagnostic_setting" "this" {
  for_each = var.diagnostic_targets

  name                       = "diag-${local.suffix}-${each.key}"
  target_resource_id         = each.value
  log_analytics_workspace_id = azurerm_log_analytics_workspace.this.id

  # AKS: the control-plane categories the AKS baseline keeps; kube-audit-admin (writes only) and guard
  # (Entra ID authorization) instead of kube-audit, whose every get/list/watch costs far more than it tells.
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

  enabled_metric {
    category = "AllMetrics"
  }
}
