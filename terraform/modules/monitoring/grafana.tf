# Azure Managed Grafana for the seed's dashboards: the Azure Monitor workspace integration adds the managed
# Prometheus data source; its managed identity reads Prometheus and the Log Analytics workspace; Entra ID
# groups sign in as Grafana administrators or viewers (no API keys).

resource "azurerm_dashboard_grafana" "this" {
  name                              = "amg-${local.suffix}"
  location                          = var.location
  resource_group_name               = var.resource_group_name
  grafana_major_version             = var.grafana_major_version
  sku                               = "Standard"
  zone_redundancy_enabled           = var.grafana_zone_redundancy_enabled
  api_key_enabled                   = false
  deterministic_outbound_ip_enabled = false
  public_network_access_enabled     = true
  tags                              = local.tags

  identity {
    type = "SystemAssigned"
  }

  azure_monitor_workspace_integrations {
    resource_id = azurerm_monitor_workspace.this.id
  }
}

# Grafana queries Prometheus as its own identity.
resource "azurerm_role_assignment" "grafana_prometheus_reader" {
  scope                            = azurerm_monitor_workspace.this.id
  role_definition_name             = "Monitoring Data Reader"
  principal_id                     = azurerm_dashboard_grafana.this.identity[0].principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

# ...and the logs and platform metrics (Azure Monitor data source) of this workspace only.
resource "azurerm_role_assignment" "grafana_logs_reader" {
  scope                            = azurerm_log_analytics_workspace.this.id
  role_definition_name             = "Monitoring Reader"
  principal_id                     = azurerm_dashboard_grafana.this.identity[0].principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

resource "azurerm_role_assignment" "grafana_admins" {
  for_each = toset(var.grafana_admin_group_object_ids)

  scope                = azurerm_dashboard_grafana.this.id
  role_definition_name = "Grafana Admin"
  principal_id         = each.value
  principal_type       = "Group"
}

resource "azurerm_role_assignment" "grafana_viewers" {
  for_each = toset(var.grafana_viewer_group_object_ids)

  scope                = azurerm_dashboard_grafana.this.id
  role_definition_name = "Grafana Viewer"
  principal_id         = each.value
  principal_type       = "Group"
}
