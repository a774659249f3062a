# Key Vault with RBAC authorization, purge protection and soft delete, a firewall (Deny by default) and a
# private endpoint in the VNet, and the API pods' workload identity (it logs in to PostgreSQL; it reads nothing
# from the vault, so it holds no role on it).

locals {
  suffix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { module = "keyvault", environment = var.environment })
}

data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "this" {
  name                = "kv-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = var.sku_name
  tags                = local.tags

  # Access through Azure RBAC role assignments only, never vault access policies.
  rbac_authorization_enabled = true
  # Deleted secrets stay recoverable for the retention period and cannot be purged early.
  purge_protection_enabled   = true
  soft_delete_retention_days = var.soft_delete_retention_days

  # The public endpoint stays on but behind the firewall: with Deny it admits only allowed_ip_ranges and
  # trusted Azure services; the cluster comes in through the private endpoint below.
  public_network_access_enabled = true

  network_acls {
    default_action = var.network_default_action
    bypass         = "AzureServices"
    ip_rules       = var.allowed_ip_ranges
  }

  lifecycle {
    # Holds secrets (purge protection keeps deleted ones for the retention period only): a plan that would destroy it fails.
    prevent_destroy = true
  }
}

# The cluster's pods and the Key Vault secrets provider (CSI driver) reach the vault here: the private DNS
# zone, linked to the VNet, resolves the vault's name to this endpoint's address inside it.
resource "azurerm_private_endpoint" "vault" {
  name                          = "pe-kv-${local.suffix}"
  location                      = var.location
  resource_group_name           = var.resource_group_name
  subnet_id                     = var.private_endpoint_subnet_id
  custom_network_interface_name = "nic-pe-kv-${local.suffix}"
  tags                          = local.tags

  private_service_connection {
    name                           = "kv-${local.suffix}"
    private_connection_resource_id = azurerm_key_vault.this.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "vaultcore"
    private_dns_zone_ids = [var.private_dns_zone_id]
  }
}

# The API's pods read secrets as this identity, through workload identity (CSI secrets store driver).
resource "azurerm_user_assigned_identity" "workload" {
  name                = "id-${local.suffix}-workload"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = local.tags
}

resource "azurerm_federated_identity_credential" "workload" {
  name                = "aks-${var.kubernetes_namespace}-${var.service_account_name}"
  resource_group_name = var.resource_group_name
  parent_id           = azurerm_user_assigned_identity.workload.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = var.aks_oidc_issuer_url
  subject             = "system:serviceaccount:${var.kubernetes_namespace}:${var.service_account_name}"
}
