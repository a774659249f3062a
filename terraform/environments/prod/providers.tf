# Credentials and subscription come from the environment (ARM_USE_OIDC, ARM_CLIENT_ID, ARM_TENANT_ID,
# ARM_SUBSCRIPTION_ID in CI; az login on a workstation), never from this file.
provider "azurerm" {
  storage_use_azuread = true
  # Registering resource providers is a subscription-wide right the apply identity lacks; terraform/bootstrap
  # registers the ones the estate uses.
  resource_provider_registrations = "none"

  features {
    key_vault {
      # Purge protection forbids purging anyway; keep deleted vaults recoverable.
      purge_soft_delete_on_destroy    = false
      recover_soft_deleted_key_vaults = true
    }

    resource_group {
      prevent_deletion_if_contains_resources = true
    }
  }
}
