terraform {
  required_version = ">= 1.9"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "4.55.0"
    }
  }

  # Azure Storage state; the account, container and key come from -backend-config=backend.hcl.
  backend "azurerm" {}
}
