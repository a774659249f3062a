# AKS with Entra ID RBAC (local accounts off), OIDC issuer and workload identity, Azure CNI, a system and a
# user node pool across zones with autoscaling, the Key Vault secrets provider, Container Insights to Log
# Analytics (with its data collection rule), the managed Prometheus add-on, and AcrPull for the kubelet
# identity.

locals {
  suffix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { module = "aks", environment = var.environment })

  # Perf and KubePodInventory feed the CPU and CrashLoopBackOff alerts; the API's Prometheus metrics go to
  # managed Prometheus (monitor_metrics below), not through this agent.
  container_insights_streams = [
    "Microsoft-ContainerLogV2",
    "Microsoft-KubeEvents",
    "Microsoft-KubePodInventory",
    "Microsoft-KubeNodeInventory",
    "Microsoft-KubePVInventory",
    "Microsoft-KubeServices",
    "Microsoft-KubeMonAgentEvents",
    "Microsoft-InsightsMetrics",
    "Microsoft-ContainerInventory",
    "Microsoft-ContainerNodeInventory",
    "Microsoft-Perf",
  ]
}

resource "azurerm_kubernetes_cluster" "this" {
  name                      = "aks-${local.suffix}"
  location                  = var.location
  resource_group_name       = var.resource_group_name
  dns_prefix                = "aks-${local.suffix}"
  kubernetes_version        = var.kubernetes_version
  sku_tier                  = var.sku_tier
  automatic_upgrade_channel = var.automatic_upgrade_channel
  node_os_upgrade_channel   = "NodeImage"
  tags                      = local.tags

  # Entra ID only: no static admin kubeconfig, Kubernetes permissions through Azure RBAC role assignments.
  local_account_disabled            = true
  role_based_access_control_enabled = true

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = var.admin_group_object_ids
  }

  # Pods exchange their service account token for Entra ID tokens (Key Vault, PostgreSQL).
  oidc_issuer_enabled       = true
  workload_identity_enabled = true

  identity {
    type = "SystemAssigned"
  }

  # Patch upgrades of the control plane and node pools, and node image updates, start only in these weekly
  # windows (planned maintenance), never in business hours.
  maintenance_window_auto_upgrade {
    frequency   = "Weekly"
    interval    = 1
    duration    = var.maintenance_window.duration_hours
    day_of_week = var.maintenance_window.day_of_week
    start_time  = var.maintenance_window.start_time
    utc_offset  = "+00:00"
  }

  maintenance_window_node_os {
    frequency   = "Weekly"
    interval    = 1
    duration    = var.maintenance_window.duration_hours
    day_of_week = var.maintenance_window.day_of_week
    start_time  = var.maintenance_window.start_time
    utc_offset  = "+00:00"
  }

  # The API server answers only the listed ranges (administrators, the delivery pipeline's runners); AKS
  # adds the cluster's own outbound IP. An empty list leaves it public (dev only: prod requires ranges).
  dynamic "api_server_access_profile" {
    for_each = length(var.api_server_authorized_ip_ranges) > 0 ? [1] : []

    content {
      authorized_ip_ranges = var.api_server_authorized_ip_ranges
    }
  }

  default_node_pool {
    name                         = "system"
    vm_size                      = var.system_node_pool.vm_size
    vnet_subnet_id               = var.nodes_subnet_id
    zones                        = var.availability_zones
    auto_scaling_enabled         = true
    min_count                    = var.system_node_pool.min_count
    max_count                    = var.system_node_pool.max_count
    max_pods                     = var.system_node_pool.max_pods
    os_disk_size_gb              = var.system_node_pool.os_disk_size_gb
    only_critical_addons_enabled = true
    temporary_name_for_rotation  = "systemtmp"
    tags                         = local.tags

    upgrade_settings {
      max_surge = "33%"
    }
  }

  network_profile {
    network_plugin    = "azure"
    network_policy    = "azure"
    load_balancer_sku = "standard"
    service_cidr      = var.service_cidr
    dns_service_ip    = var.dns_service_ip
  }

  key_vault_secrets_provider {
    secret_rotation_enabled  = true
    secret_rotation_interval = "2m"
  }

  # Container Insights: node and pod metrics, KubePodInventory and container logs in Log Analytics.
  oms_agent {
    log_analytics_workspace_id      = var.log_analytics_workspace_id
    msi_auth_for_monitoring_enabled = true
  }

  # Managed Prometheus: the ama-metrics add-on scrapes the cluster (cAdvisor, kubelet, kube-state-metrics) and
  # the ServiceMonitors of the azmonitoring.coreos.com group; the monitoring module's data collection rule,
  # associated with this cluster, sends the samples to its Azure Monitor workspace.
  monitor_metrics {}

  # Defender for Containers' sensor (runtime threat detection) reports to the same workspace; the Azure
  # Policy add-on (Gatekeeper) enforces the policies assigned to the cluster's scope.
  microsoft_defender {
    log_analytics_workspace_id = var.log_analytics_workspace_id
  }
  azure_policy_enabled = true

  lifecycle {
    # The autoscaler owns the node count.
    ignore_changes = [default_node_pool[0].node_count]
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.this.id
  mode                  = "User"
  vm_size               = var.user_node_pool.vm_size
  vnet_subnet_id        = var.nodes_subnet_id
  zones                 = var.availability_zones
  auto_scaling_enabled  = true
  min_count             = var.user_node_pool.min_count
  max_count             = var.user_node_pool.max_count
  max_pods              = var.user_node_pool.max_pods
  os_disk_size_gb       = var.user_node_pool.os_disk_size_gb
  orchestrator_version  = var.kubernetes_version
  tags                  = local.tags

  upgrade_settings {
    max_surge = "33%"
  }

  lifecycle {
    ignore_changes = [node_count]
  }
}

# Nodes pull images from the registry with the kubelet identity; no image pull secret exists.
resource "azurerm_role_assignment" "kubelet_acr_pull" {
  scope                            = var.acr_id
  role_definition_name             = "AcrPull"
  principal_id                     = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

# Load balancers and private IPs for services in the node subnet need the cluster identity to join it.
resource "azurerm_role_assignment" "cluster_subnet_network_contributor" {
  scope                            = var.nodes_subnet_id
  role_definition_name             = "Network Contributor"
  principal_id                     = azurerm_kubernetes_cluster.this.identity[0].principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

# With managed-identity auth the monitoring agent only collects what a data collection rule asks for.
resource "azurerm_monitor_data_collection_rule" "container_insights" {
  name                = "MSCI-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  description         = "Container Insights for ${azurerm_kubernetes_cluster.this.name}: performance, inventory, logs."
  tags                = local.tags

  destinations {
    log_analytics {
      name                  = "container-insights"
      workspace_resource_id = var.log_analytics_workspace_id
    }
  }

  data_flow {
    streams      = local.container_insights_streams
    destinations = ["container-insights"]
  }

  data_sources {
    extension {
      name           = "ContainerInsightsExtension"
      extension_name = "ContainerInsights"
      streams        = local.container_insights_streams
      extension_json = jsonencode({
        dataCollectionSettings = {
          interval               = "1m"
          namespaceFilteringMode = "Off"
          enableContainerLogV2   = true
        }
      })
    }
  }
}

resource "azurerm_monitor_data_collection_rule_association" "container_insights" {
  name                    = "ContainerInsightsExtension"
  target_resource_id      = azurerm_kubernetes_cluster.this.id
  data_collection_rule_id = azurerm_monitor_data_collection_rule.container_insights.id
  description             = "Sends the cluster's Container Insights data to Log Analytics."
}
