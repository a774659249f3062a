output "resource_group_name" {
  description = "Resource group holding the environment."
  value       = data.azurerm_resource_group.this.name
}

output "aks_cluster_name" {
  description = "AKS cluster name (az aks get-credentials -n)."
  value       = module.aks.cluster_name
}

output "acr_login_server" {
  description = "Registry login server, the image name prefix."
  value       = module.acr.login_server
}

output "key_vault_name" {
  description = "Key Vault holding the application's secrets."
  value       = module.keyvault.name
}

output "key_vault_tenant_id" {
  description = "Tenant of the Key Vault, for the SecretProviderClass."
  value       = module.keyvault.tenant_id
}

output "workload_identity_client_id" {
  description = "Client ID to annotate the API's service account with (azure.workload.identity/client-id)."
  value       = module.keyvault.workload_identity_client_id
}

output "postgresql_fqdn" {
  description = "Private FQDN of the PostgreSQL server."
  value       = module.database.fqdn
}

output "postgresql_database_name" {
  description = "Application database name."
  value       = module.database.database_name
}

output "postgresql_entra_administrator_name" {
  description = "PostgreSQL user name of the server's Entra administrators (they log in with an Entra token, see terraform/README.md)."
  value       = module.database.entra_administrator_name
}

output "pipeline_client_id" {
  description = "Client ID the delivery pipeline logs in with (GitHub environment variable AZURE_CLIENT_ID)."
  value       = module.identity.client_id
}
