# Container registry with the admin user off; retention of untagged manifests and zone redundancy where the
# SKU (Premium) allows them.

locals {
  # Registry names are global and alphanumeric only.
  name       = "${var.project}${var.environment}"
  tags       = merge(var.tags, { module = "acr", environment = var.environment })
  is_premium = var.sku == "Premium"
}

resource "azurerm_container_registry" "this" {
  name                = local.name
  location            = var.location
  resource_group_name = var.resource_group_name
  sku                 = var.sku
  tags                = local.tags

  # Pushes and pulls authenticate with Entra ID (AcrPush for CI, AcrPull for the kubelet): no shared admin password.
  admin_enabled          = false
  anonymous_pull_enabled = false

  # Untagged manifests are purged after the retention period; Azure offers retention on Premium only.
  retention_policy_in_days = local.is_premium ? var.untagged_retention_days : null
  zone_redundancy_enabled  = local.is_premium && var.zone_redundancy_enabled

  lifecycle {
    # Holds the released images the cluster pulls: a plan that would destroy it fails.
    prevent_destroy = true
  }
}
