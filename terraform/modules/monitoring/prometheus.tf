# Managed Prometheus: the cluster's ama-metrics add-on (the aks module's monitor_metrics block) sends what it
# scrapes through a data collection endpoint and rule to an Azure Monitor workspace, where the API's latency
# and error-rate alerts run as Prometheus rule groups on the API's own series (server/ops/metrics.ts).
# The resources follow Azure's managed Prometheus Terraform template (github.com/Azure/prometheus-collector,
# AddonTerraformTemplate).

resource "azurerm_monitor_workspace" "this" {
  name                = "amw-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = local.tags
}

resource "azurerm_monitor_data_collection_endpoint" "prometheus" {
  name                = "dce-prom-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  kind                = "Linux"
  description         = "Where the cluster's ama-metrics add-on sends Prometheus samples."
  tags                = local.tags
}

resource "azurerm_monitor_data_collection_rule" "prometheus" {
  name                        = "MSProm-${local.suffix}"
  location                    = var.location
  resource_group_name         = var.resource_group_name
  kind                        = "Linux"
  data_collection_endpoint_id = azurerm_monitor_data_collection_endpoint.prometheus.id
  description                 = "Prometheus metrics of the cluster to the Azure Monitor workspace."
  tags                        = local.tags

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

# Without this association the add-on's agents run but send nothing.
resource "azurerm_monitor_data_collection_rule_association" "prometheus" {
  name                    = "MSProm-${local.suffix}"
  target_resource_id      = var.aks_cluster_id
  data_collection_rule_id = azurerm_monitor_data_collection_rule.prometheus.id
  description             = "Sends the cluster's Prometheus metrics to the Azure Monitor workspace."
}

# The seed's API alerts. The series carry the ServiceMonitor's target labels (namespace, job = the Service
# "backend") and the cluster label managed Prometheus adds; cluster_name keeps the rules to this cluster.
# Thresholds are the module's variables; metric and label names are literal so the offline checks can match
# them against server/ops/metrics.ts.
resource "azurerm_monitor_alert_prometheus_rule_group" "api" {
  name                = "prom-${local.suffix}-api"
  location            = var.location
  resource_group_name = var.resource_group_name
  cluster_name        = local.aks_cluster_name
  scopes              = [azurerm_monitor_workspace.this.id, var.aks_cluster_id]
  description         = "The API's p95 latency and 5xx share."
  interval            = "PT1M"
  rule_group_enabled  = true
  tags                = local.tags

  # p95 over every route but the admin import, which pages through LinkedIn on purpose.
  rule {
    alert      = "CloudJobHuntApiHighLatency"
    enabled    = true
    severity   = 2
    for        = "PT10M"
    expression = <<-PROMQL
      histogram_quantile(0.95,
        sum by (le) (rate(http_request_duration_seconds_bucket{namespace="cloudjobhunt", job="backend", route!="/admin/imports/linkedin"}[5m]))
      ) > ${var.latency_threshold_ms / 1000}
    PROMQL
    annotations = {
      summary = "The API's p95 request duration stayed above ${var.latency_threshold_ms} ms for 10 minutes."
    }

    action {
      action_group_id = azurerm_monitor_action_group.this.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }

  rule {
    alert      = "CloudJobHuntApiHighErrorRate"
    enabled    = true
    severity   = 1
    for        = "PT5M"
    expression = <<-PROMQL
      sum(rate(http_requests_total{namespace="cloudjobhunt", job="backend", status=~"5.."}[5m]))
        / sum(rate(http_requests_total{namespace="cloudjobhunt", job="backend"}[5m]))
        > ${var.error_rate_threshold_percent / 100}
    PROMQL
    annotations = {
      summary = "More than ${var.error_rate_threshold_percent}% of the API's responses were 5xx for 5 minutes."
    }

    action {
      action_group_id = azurerm_monitor_action_group.this.id
    }

    alert_resolution {
      auto_resolved   = true
      time_to_resolve = "PT10M"
    }
  }
}
