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

output "administrator_login" {
  description = "Administrator login name (the password is only in Key Vault)."
  value       = azurerm_postgresql_flexible_server.this.administrator_login
}

output "administrator_password_secret_name" {
  description = "Name of the Key Vault secret holding the administrator password."
  value       = azurerm_key_vault_secret.administrator_password.name
}
