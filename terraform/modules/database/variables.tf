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

variable "postgresql_version" {
  type        = string
  description = "PostgreSQL major version."
  default     = "16"

  validation {
    condition     = contains(["13", "14", "15", "16", "17"], var.postgresql_version)
    error_message = "postgresql_version must be one of 13, 14, 15, 16, 17."
  }
}

variable "sku_name" {
  type        = string
  description = "Compute SKU as <tier>_<size>, e.g. B_Standard_B2s (Burstable) or GP_Standard_D2ds_v5 (General Purpose)."

  validation {
    condition     = can(regex("^(B|GP|MO)_Standard_[A-Za-z0-9_]+$", var.sku_name))
    error_message = "sku_name must look like B_Standard_B2s, GP_Standard_D2ds_v5 or MO_Standard_E4ds_v5."
  }

  validation {
    condition     = !(var.high_availability_enabled && startswith(var.sku_name, "B_"))
    error_message = "High availability is not offered on Burstable (B_) SKUs: use GP_ or MO_."
  }
}

variable "storage_mb" {
  type        = number
  description = "Allocated storage in MB (grows automatically)."
  default     = 32768

  validation {
    condition     = contains([32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408], var.storage_mb)
    error_message = "storage_mb must be one of the sizes Flexible Server offers (32768, 65536, 131072, ...)."
  }
}

variable "zone" {
  type        = string
  description = "Availability zone of the primary server."
  default     = "1"

  validation {
    condition     = contains(["1", "2", "3"], var.zone)
    error_message = "zone must be 1, 2 or 3."
  }
}

variable "high_availability_enabled" {
  type        = bool
  description = "Run a zone-redundant standby (prod); needs a General Purpose or Memory Optimized SKU."
  default     = false
}

variable "standby_availability_zone" {
  type        = string
  description = "Availability zone of the standby when high availability is on; must differ from zone."
  default     = "2"

  validation {
    condition     = contains(["1", "2", "3"], var.standby_availability_zone) && var.standby_availability_zone != var.zone
    error_message = "standby_availability_zone must be 1, 2 or 3 and differ from zone."
  }
}

variable "backup_retention_days" {
  type        = number
  description = "Days of point-in-time restore backups (7-35)."
  default     = 7

  validation {
    condition     = var.backup_retention_days >= 7 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 7 and 35."
  }
}

variable "geo_redundant_backup_enabled" {
  type        = bool
  description = "Copy backups to the paired region (cannot be changed after creation)."
  default     = false
}

variable "entra_administrator" {
  type = object({
    object_id      = string
    principal_name = string
    principal_type = string
  })
  description = "Microsoft Entra principal that administers the server (creates the roles Entra identities log in as): its object ID, its display name (the user name its members log in with) and its type, Group, User or ServicePrincipal."

  validation {
    condition     = can(regex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$", var.entra_administrator.object_id)) && length(trimspace(var.entra_administrator.principal_name)) > 0 && contains(["Group", "User", "ServicePrincipal"], var.entra_administrator.principal_type)
    error_message = "entra_administrator needs an object_id (a GUID), a non-empty principal_name and a principal_type of Group, User or ServicePrincipal."
  }
}

variable "database_name" {
  type        = string
  description = "Name of the application database."
  default     = "cloudjobhunt"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must be a lowercase identifier."
  }
}

variable "delegated_subnet_id" {
  type        = string
  description = "ID of the subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers."

  validation {
    condition     = can(regex("/subnets/[^/]+$", var.delegated_subnet_id))
    error_message = "delegated_subnet_id must be a subnet resource ID."
  }
}

variable "private_dns_zone_id" {
  type        = string
  description = "ID of the private DNS zone (*.postgres.database.azure.com) linked to the VNet."

  validation {
    condition     = can(regex("/privateDnsZones/[^/]+\\.postgres\\.database\\.azure\\.com$", var.private_dns_zone_id))
    error_message = "private_dns_zone_id must be the ID of a private DNS zone ending in .postgres.database.azure.com."
  }
}
