variable "project" {
  type        = string
  description = "Short project name used in every resource name (lowercase letters and digits), e.g. \"cloudhunt\"."

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.project))
    error_message = "project must be 2-12 lowercase letters or digits, starting with a letter (it ends up in globally unique names)."
  }
}

variable "environment" {
  type        = string
  description = "Environment name used in every resource name and tag: dev, staging or prod."

  validation {
    condition     = contains(["dev", "staging", "prod"], var.environment)
    error_message = "environment must be one of dev, staging, prod."
  }
}

variable "location" {
  type        = string
  description = "Azure region of the resources, e.g. \"francecentral\"."

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lowercase without spaces, e.g. francecentral."
  }
}

variable "resource_group_name" {
  type        = string
  description = "Name of the existing resource group the resources are created in."

  validation {
    condition     = length(var.resource_group_name) > 0 && length(var.resource_group_name) <= 90
    error_message = "resource_group_name must be 1-90 characters."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags applied to every taggable resource, merged with the module's own tags."
  default     = {}
}

variable "sku" {
  type        = string
  description = "Registry SKU: Basic, Standard or Premium (retention and zone redundancy need Premium)."
  default     = "Basic"

  validation {
    condition     = contains(["Basic", "Standard", "Premium"], var.sku)
    error_message = "sku must be Basic, Standard or Premium."
  }
}

variable "untagged_retention_days" {
  type        = number
  description = "Days untagged manifests are kept before purge (applied on Premium only)."
  default     = 7

  validation {
    condition     = var.untagged_retention_days >= 0 && var.untagged_retention_days <= 365
    error_message = "untagged_retention_days must be between 0 and 365."
  }
}

variable "zone_redundancy_enabled" {
  type        = bool
  description = "Replicate the registry across availability zones (applied on Premium only)."
  default     = true
}
