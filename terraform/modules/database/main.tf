# PostgreSQL Flexible Server on private access (delegated subnet, private DNS, no public network access),
# zone-redundant high availability as a switch, and the application database. Logins are Microsoft Entra ID
# only: password authentication is off and no administrator password exists (none in state, none in Key
# Vault); an Entra group administers the server, and the API logs in as its workload identity's role.

locals {
  suffix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { module = "database", environment = var.environment })
}

data "azurerm_client_config" "current" {}

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

  # Entra ID tokens only. With password authentication off Azure needs no administrator login, so none is
  # set: there is no password to generate, store, rotate or leak.
  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = data.azurerm_client_config.current.tenant_id
  }

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
    # to an argument that forces replacement: name, location, resource_group_name, delegated_subnet_id,
    # geo_redundant_backup_enabled, a smaller storage_mb, setting administrator_login) fails instead.
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

# The Entra principal that administers the server (the environments name a group: membership decides who).
# Only an Entra administrator can map an Entra identity to a database role (pgaadauth_create_principal_with_oid),
# which the azurerm provider cannot do: see the one-time step in terraform/README.md.
resource "azurerm_postgresql_flexible_server_active_directory_administrator" "this" {
  server_name         = azurerm_postgresql_flexible_server.this.name
  resource_group_name = var.resource_group_name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  object_id           = var.entra_administrator.object_id
  principal_name      = var.entra_administrator.principal_name
  principal_type      = var.entra_administrator.principal_type
}
