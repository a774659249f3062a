output "client_id" {
  description = "Client ID for azure/login (the AZURE_CLIENT_ID of the production environment)."
  value       = azurerm_user_assigned_identity.github.client_id
}

output "principal_id" {
  description = "Object ID of the pipeline's identity."
  value       = azurerm_user_assigned_identity.github.principal_id
}

output "federated_credential_subject" {
  description = "The OIDC subject the federated credential accepts."
  value       = azurerm_federated_identity_credential.github_environment.subject
}
