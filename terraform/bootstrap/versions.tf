terraform {
  required_version = ">= 1.9"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "4.55.0"
    }
  }

  # Azure Storage state (its own key, next to the environments' containers); see terraform/README.md.
  backend "azurerm" {}
}
