variable "project" {
  type        = string
  description = "Short project name used in every resource name (lowercase letters and digits); the environments' own default."
  default     = "cloudhunt"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.project))
    error_message = "project must be 2-12 lowercase letters or digits, starting with a letter."
  }
}

variable "location" {
  type        = string
  description = "Azure region of the environments' resource groups and of the identities."
  default     = "francecentral"

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lowercase without spaces, e.g. francecentral."
  }
}

variable "github_repository" {
  type        = string
  description = "GitHub repository (<owner>/<name>) whose Terraform workflow logs in."

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must be <owner>/<name>."
  }
}

variable "tfstate_resource_group_name" {
  type        = string
  description = "Resource group of the state storage account; the Terraform identities are created in it."

  validation {
    condition     = length(var.tfstate_resource_group_name) > 0 && length(var.tfstate_resource_group_name) <= 90
    error_message = "tfstate_resource_group_name must be 1-90 characters."
  }
}

variable "tfstate_storage_account_id" {
  type        = string
  description = "Resource ID of the state storage account; each environment gets its container tfstate-<environment> in it."

  validation {
    condition     = can(regex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Storage/storageAccounts/[a-z0-9]{3,24}$", var.tfstate_storage_account_id))
    error_message = "tfstate_storage_account_id must be a storage account resource ID."
  }
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource (cost centre, owner...)."
  default     = {}
}
