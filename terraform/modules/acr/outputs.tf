output "id" {
  description = "Resource ID of the registry (scope for AcrPull/AcrPush role assignments)."
  value       = azurerm_container_registry.this.id
}

output "name" {
  description = "Name of the registry."
  value       = azurerm_container_registry.this.name
}

output "login_server" {
  description = "Login server of the registry, the image name prefix (<name>.azurecr.io)."
  value       = azurerm_container_registry.this.login_server
}
