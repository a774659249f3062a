locals {
  environment = "dev"
  tags = merge(var.tags, {
    project     = var.project
    environment = local.environment
    managed-by  = "terraform"
  })
}

# The resource group comes from terraform/bootstrap: this environment's apply identity is Contributor on
# the group, not on the subscription, so it can neither create nor delete it.
data "azurerm_resource_group" "this" {
  name = "rg-${var.project}-${local.environment}"
}

module "networking" {
  source              = "../../modules/networking"
  project             = var.project
  environment         = local.environment
  location            = var.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = local.tags

  address_space                 = ["10.10.0.0/16"]
  aks_nodes_subnet_cidr         = "10.10.0.0/20"
  postgresql_subnet_cidr        = "10.10.16.0/24"
  private_endpoints_subnet_cidr = "10.10.17.0/24"
}

module "monitoring" {
  source              = "../../modules/monitoring"
  project             = var.project
  environment         = local.environment
  location            = var.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = local.tags

  log_retention_days    = 30
  daily_quota_gb        = 2
  alert_email_receivers = var.alert_email_receivers
  aks_cluster_id        = module.aks.cluster_id
  # The cluster's administrators administer its Grafana; other groups may read the dashboards.
  grafana_admin_group_object_ids  = var.aks_admin_group_object_ids
  grafana_viewer_group_object_ids = var.grafana_viewer_group_object_ids
  diagnostic_targets = {
    aks        = module.aks.cluster_id
    acr        = module.acr.id
    keyvault   = module.keyvault.id
    postgresql = module.database.server_id
  }
}

module "acr" {
  source              = "../../modules/acr"
  project             = var.project
  environment         = local.environment
  location            = var.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = local.tags

  sku = "Basic"
}

module "aks" {
  source              = "../../modules/aks"
  project             = var.project
  environment         = local.environment
  location            = var.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = local.tags

  kubernetes_version         = var.kubernetes_version
  sku_tier                   = "Free"
  admin_group_object_ids     = var.aks_admin_group_object_ids
  nodes_subnet_id            = module.networking.aks_nodes_subnet_id
  log_analytics_workspace_id = module.monitoring.log_analytics_workspace_id
  acr_id                     = module.acr.id
  availability_zones         = ["1", "2", "3"]
  system_node_pool = {
    vm_size   = "Standard_B2s"
    min_count = 1
    max_count = 2
  }
  user_node_pool = {
    vm_size   = "Standard_B2s"
    min_count = 1
    max_count = 3
  }
}

module "keyvault" {
  source              = "../../modules/keyvault"
  project             = var.project
  environment         = local.environment
  location            = var.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = local.tags

  soft_delete_retention_days = 7
  aks_oidc_issuer_url        = module.aks.oidc_issuer_url
  # dev's vault stays reachable from anywhere (developers, GitHub-hosted runners, which have no fixed
  # egress; it holds no production data); the cluster still goes through the private endpoint, as in prod.
  network_default_action     = "Allow"
  private_endpoint_subnet_id = module.networking.private_endpoints_subnet_id
  private_dns_zone_id        = module.networking.key_vault_private_dns_zone_id
}

module "database" {
  source              = "../../modules/database"
  project             = var.project
  environment         = local.environment
  location            = var.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = local.tags

  sku_name                     = "B_Standard_B2s"
  storage_mb                   = 32768
  high_availability_enabled    = false
  backup_retention_days        = 7
  geo_redundant_backup_enabled = false
  delegated_subnet_id          = module.networking.postgresql_subnet_id
  private_dns_zone_id          = module.networking.postgresql_private_dns_zone_id
  # Entra ID logins only: this principal administers the server, the API logs in as its workload identity.
  entra_administrator = var.postgresql_entra_administrator
}

module "identity" {
  source              = "../../modules/identity"
  project             = var.project
  environment         = local.environment
  location            = var.location
  resource_group_name = data.azurerm_resource_group.this.name
  tags                = local.tags

  github_repository  = var.github_repository
  github_environment = "development"
  acr_id             = module.acr.id
  aks_cluster_id     = module.aks.cluster_id
}
