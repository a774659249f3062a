output "id" {
  description = "Resource ID of the Key Vault."
  value       = azurerm_key_vault.this.id
}

output "name" {
  description = "Name of the Key Vault (SecretProviderClass keyvaultName)."
  value       = azurerm_key_vault.this.name
}

output "vault_uri" {
  description = "URI of the Key Vault."
  value       = azurerm_key_vault.this.vault_uri
}

output "tenant_id" {
  description = "Entra ID tenant of the Key Vault (SecretProviderClass tenantId)."
  value       = azurerm_key_vault.this.tenant_id
}

output "workload_identity_client_id" {
  description = "Client ID of the API's workload identity (service account annotation azure.workload.identity/client-id)."
  value       = azurerm_user_assigned_identity.workload.client_id
}
