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

variable "sku_name" {
  type        = string
  description = "Key Vault SKU: standard or premium (HSM-backed keys)."
  default     = "standard"

  validation {
    condition     = contains(["standard", "premium"], var.sku_name)
    error_message = "sku_name must be standard or premium."
  }
}

variable "soft_delete_retention_days" {
  type        = number
  description = "Days a deleted vault or secret stays recoverable (7-90)."
  default     = 90

  validation {
    condition     = var.soft_delete_retention_days >= 7 && var.soft_delete_retention_days <= 90
    error_message = "soft_delete_retention_days must be between 7 and 90."
  }
}

variable "network_default_action" {
  type        = string
  description = "Default network rule of the vault's public endpoint: Deny admits only allowed_ip_ranges and trusted Azure services (the private endpoint is not affected); Allow admits everyone."
  default     = "Deny"

  validation {
    condition     = contains(["Allow", "Deny"], var.network_default_action)
    error_message = "network_default_action must be Allow or Deny."
  }
}

variable "allowed_ip_ranges" {
  type        = list(string)
  description = "Public IP ranges (CIDR) admitted through the firewall when network_default_action is Deny: the egress of whoever must reach the data plane from outside the VNet (runners writing secrets, administrators)."
  default     = []

  validation {
    condition     = alltrue([for cidr in var.allowed_ip_ranges : can(cidrhost(cidr, 0))])
    error_message = "allowed_ip_ranges must hold CIDR blocks."
  }
}

variable "aks_oidc_issuer_url" {
  type        = string
  description = "OIDC issuer URL of the AKS cluster whose service account reads the secrets."

  validation {
    condition     = startswith(var.aks_oidc_issuer_url, "https://")
    error_message = "aks_oidc_issuer_url must be an https URL."
  }
}

variable "kubernetes_namespace" {
  type        = string
  description = "Namespace of the service account the API runs as."
  default     = "cloudjobhunt"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.kubernetes_namespace))
    error_message = "kubernetes_namespace must be a valid Kubernetes namespace name."
  }
}

variable "service_account_name" {
  type        = string
  description = "Name of the Kubernetes service account the API runs as (annotated with the workload identity client ID)."
  default     = "cloudjobhunt-api"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.service_account_name))
    error_message = "service_account_name must be a valid Kubernetes object name."
  }
}

variable "private_endpoint_subnet_id" {
  type        = string
  description = "ID of the subnet the vault's private endpoint takes its address from."

  validation {
    condition     = can(regex("/subnets/[^/]+$", var.private_endpoint_subnet_id))
    error_message = "private_endpoint_subnet_id must be a subnet resource ID."
  }
}

variable "private_dns_zone_id" {
  type        = string
  description = "ID of the privatelink.vaultcore.azure.net private DNS zone (linked to the VNet) the endpoint registers in."

  validation {
    condition     = can(regex("/privateDnsZones/privatelink\\.vaultcore\\.azure\\.net$", var.private_dns_zone_id))
    error_message = "private_dns_zone_id must be the ID of a privatelink.vaultcore.azure.net private DNS zone."
  }
}
