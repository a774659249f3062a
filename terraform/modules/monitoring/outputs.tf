output "log_analytics_workspace_id" {
  description = "Resource ID of the Log Analytics workspace."
  value       = azurerm_log_analytics_workspace.this.id
}

output "action_group_id" {
  description = "Resource ID of the action group the alerts notify."
  value       = azurerm_monitor_action_group.this.id
}

output "alert_ids" {
  description = "Resource IDs of the alert rules, by alert name."
  value = merge(
    { node-cpu = azurerm_monitor_metric_alert.node_cpu.id },
    { for key, alert in azurerm_monitor_scheduled_query_rules_alert_v2.container_insights : key => alert.id },
    { api-prometheus = azurerm_monitor_alert_prometheus_rule_group.api.id },
  )
}

output "monitor_workspace_id" {
  description = "Resource ID of the Azure Monitor workspace holding the cluster's Prometheus metrics."
  value       = azurerm_monitor_workspace.this.id
}

output "monitor_workspace_query_endpoint" {
  description = "Prometheus query endpoint of the Azure Monitor workspace (PromQL over HTTP, Entra ID tokens)."
  value       = azurerm_monitor_workspace.this.query_endpoint
}

output "grafana_endpoint" {
  description = "URL of the Managed Grafana instance."
  value       = azurerm_dashboard_grafana.this.endpoint
}
