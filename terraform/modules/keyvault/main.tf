# Key Vault with RBAC authorization, purge protection and soft delete, and the workload identity the API's
# pods read its secrets with.

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

# Terraform itself writes the generated secrets (the PostgreSQL admin password).
resource "azurerm_role_assignment" "deployer_secrets_officer" {
  scope                = azurerm_key_vault.this.id
  role_definition_name = "Key Vault Secrets Officer"
  principal_id         = data.azurerm_client_config.current.object_id
}

# A new role assignment takes a while to reach the vault's data plane: a secret written at once comes back
# 403. Wait as Azure Verified Modules' Key Vault does (wait_for_rbac_before_secret_operations, a time_sleep
# after the role assignments), on create only.
resource "time_sleep" "secrets_officer_propagation" {
  create_duration = "60s"
  depends_on      = [azurerm_role_assignment.deployer_secrets_officer]
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

resource "azurerm_role_assignment" "workload_secrets_user" {
  scope                            = azurerm_key_vault.this.id
  role_definition_name             = "Key Vault Secrets User"
  principal_id                     = azurerm_user_assigned_identity.workload.principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}
