output "plan_client_id" {
  description = "Client ID of the pull-request plan identity (repository variable AZURE_TERRAFORM_PLAN_CLIENT_ID)."
  value       = azurerm_user_assigned_identity.plan.client_id
}

output "apply_client_ids" {
  description = "Client ID of each environment's apply identity, by environment (variable AZURE_TERRAFORM_APPLY_CLIENT_ID of the GitHub environment development or production)."
  value       = { for environment, identity in azurerm_user_assigned_identity.apply : environment => identity.client_id }
}

output "resource_group_names" {
  description = "Resource group of each environment, which the environment's configuration reads."
  value       = { for environment, group in azurerm_resource_group.environment : environment => group.name }
}

output "state_containers" {
  description = "State container of each environment (backend container_name)."
  value       = { for environment, container in azurerm_storage_container.state : environment => container.name }
}
