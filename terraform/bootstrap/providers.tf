# Applied by a subscription administrator (Owner, or Contributor plus User Access Administrator) from a
# workstation; credentials come from az login, never from this file.
provider "azurerm" {
  storage_use_azuread = true
  # The environments' apply identities hold no subscription-wide right, so they cannot register resource
  # providers: the administrator registers what the estate uses here, once.
  resource_provider_registrations = "core"
  resource_providers_to_register = [
    "Microsoft.AlertsManagement",
    "Microsoft.ContainerRegistry",
    "Microsoft.ContainerService",
    "Microsoft.Dashboard",
    "Microsoft.DBforPostgreSQL",
    "Microsoft.Insights",
    "Microsoft.KeyVault",
    "Microsoft.Monitor",
    "Microsoft.OperationalInsights",
    "Microsoft.OperationsManagement",
    "Microsoft.PolicyInsights",
    "Microsoft.Security",
  ]

  features {
    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}
