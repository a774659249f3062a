# PostgreSQL Flexible Server on private access (delegated subnet, private DNS, no public network access),
# zone-redundant high availability as a switch, the application database, and a generated administrator
# password written to Key Vault and never output.

locals {
  suffix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { module = "database", environment = var.environment })
}

# Generated here, written to Key Vault, never output: readers get it from the vault through workload identity.
resource "random_password" "administrator" {
  length           = 32
  special          = true
  override_special = "-_.~!#%*"
  min_lower        = 2
  min_upper        = 2
  min_numeric      = 2
  min_special      = 2
}

resource "azurerm_postgresql_flexible_server" "this" {
  name                = "psql-${local.suffix}"
  location            = var.location
  resource_group_name = var.resource_group_name
  version             = var.postgresql_version
  sku_name            = var.sku_name
  storage_mb          = var.storage_mb
  auto_grow_enabled   = true
  zone                = var.zone
  tags                = local.tags

  administrator_login    = var.administrator_login
  administrator_password = random_password.administrator.result

  # Private access: the server lives in the delegated subnet and resolves through the private DNS zone.
  delegated_subnet_id           = var.delegated_subnet_id
  private_dns_zone_id           = var.private_dns_zone_id
  public_network_access_enabled = false

  backup_retention_days        = var.backup_retention_days
  geo_redundant_backup_enabled = var.geo_redundant_backup_enabled

  # A standby in another zone with synchronous replication and automatic failover.
  dynamic "high_availability" {
    for_each = var.high_availability_enabled ? [var.standby_availability_zone] : []

    content {
      mode                      = "ZoneRedundant"
      standby_availability_zone = high_availability.value
    }
  }

  maintenance_window {
    day_of_week  = 0
    start_hour   = 3
    start_minute = 0
  }

  lifecycle {
    # A failover swaps the primary and standby zones; Terraform must not swap them back.
    ignore_changes = [zone, high_availability[0].standby_availability_zone]
    # The server holds the application's data: a plan that would destroy it (a deleted module, or a change
    # to an argument that forces replacement: name, location, resource_group_name, administrator_login,
    # delegated_subnet_id, geo_redundant_backup_enabled, a smaller storage_mb) fails instead.
    prevent_destroy = true
  }
}

resource "azurerm_postgresql_flexible_server_database" "app" {
  name      = var.database_name
  server_id = azurerm_postgresql_flexible_server.this.id
  charset   = "UTF8"
  collation = "en_US.utf8"

  lifecycle {
    prevent_destroy = true
  }
}

resource "azurerm_key_vault_secret" "administrator_password" {
  name         = "postgresql-administrator-password"
  key_vault_id = var.key_vault_id
  value        = random_password.administrator.result
  content_type = "text/plain"
  tags         = local.tags
}
