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
  )
}
