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

variable "address_space" {
  type        = list(string)
  description = "Address space of the virtual network (CIDR blocks)."
  default     = ["10.20.0.0/16"]

  validation {
    condition     = length(var.address_space) > 0 && alltrue([for cidr in var.address_space : can(cidrhost(cidr, 0))])
    error_message = "address_space must hold at least one valid CIDR block."
  }
}

variable "aks_nodes_subnet_cidr" {
  type        = string
  description = "CIDR of the AKS node subnet; with Azure CNI pods take addresses here too (max_pods per node)."
  default     = "10.20.0.0/20"

  validation {
    condition     = can(cidrhost(var.aks_nodes_subnet_cidr, 0)) && try(tonumber(split("/", var.aks_nodes_subnet_cidr)[1]) <= 22, false)
    error_message = "aks_nodes_subnet_cidr must be a valid CIDR of /22 or larger (Azure CNI needs an address per pod)."
  }
}

variable "postgresql_subnet_cidr" {
  type        = string
  description = "CIDR of the subnet delegated to PostgreSQL Flexible Server."
  default     = "10.20.16.0/24"

  validation {
    condition     = can(cidrhost(var.postgresql_subnet_cidr, 0)) && try(tonumber(split("/", var.postgresql_subnet_cidr)[1]) <= 28, false)
    error_message = "postgresql_subnet_cidr must be a valid CIDR of /28 or larger."
  }
}

variable "private_endpoints_subnet_cidr" {
  type        = string
  description = "CIDR of the subnet private endpoints (the Key Vault's) take their addresses from."
  default     = "10.20.17.0/24"

  validation {
    condition     = can(cidrhost(var.private_endpoints_subnet_cidr, 0)) && try(tonumber(split("/", var.private_endpoints_subnet_cidr)[1]) <= 28, false)
    error_message = "private_endpoints_subnet_cidr must be a valid CIDR of /28 or larger."
  }
}
