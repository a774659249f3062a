output "server_id" {
  description = "Resource ID of the PostgreSQL Flexible Server."
  value       = azurerm_postgresql_flexible_server.this.id
}

output "fqdn" {
  description = "Private FQDN of the server (resolves inside the VNet only)."
  value       = azurerm_postgresql_flexible_server.this.fqdn
}

output "database_name" {
  description = "Name of the application database."
  value       = azurerm_postgresql_flexible_server_database.app.name
}

output "entra_administrator_name" {
  description = "Name of the server's Entra administrator: the user name its members log in with (with an Entra token as password)."
  value       = azurerm_postgresql_flexible_server_active_directory_administrator.this.principal_name
}
