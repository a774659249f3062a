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

variable "log_retention_days" {
  type        = number
  description = "Days Log Analytics keeps data (30-730)."
  default     = 30

  validation {
    condition     = var.log_retention_days >= 30 && var.log_retention_days <= 730
    error_message = "log_retention_days must be between 30 and 730."
  }
}

variable "daily_quota_gb" {
  type        = number
  description = "Daily ingestion cap in GB; -1 for none."
  default     = -1

  validation {
    condition     = var.daily_quota_gb == -1 || var.daily_quota_gb > 0
    error_message = "daily_quota_gb must be -1 (no cap) or positive."
  }
}

variable "alert_email_receivers" {
  type        = map(string)
  description = "Who the action group emails: receiver name => email address."

  validation {
    condition     = length(var.alert_email_receivers) > 0 && alltrue([for email in values(var.alert_email_receivers) : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", email))])
    error_message = "alert_email_receivers must name at least one receiver, each with a valid email address."
  }
}

variable "aks_cluster_id" {
  type        = string
  description = "ID of the AKS cluster the node CPU alert watches and managed Prometheus collects from."

  validation {
    condition     = can(regex("/managedClusters/[^/]+$", var.aks_cluster_id))
    error_message = "aks_cluster_id must be an AKS cluster resource ID."
  }
}

variable "diagnostic_targets" {
  type        = map(string)
  description = "Resources whose diagnostic logs and metrics go to the workspace: short key => resource ID."
  default     = {}
}

variable "cpu_threshold_percent" {
  type        = number
  description = "Node and container CPU percentage above which (5-minute average) an alert fires."
  default     = 80

  validation {
    condition     = var.cpu_threshold_percent > 0 && var.cpu_threshold_percent <= 100
    error_message = "cpu_threshold_percent must be in (0, 100]."
  }
}

variable "latency_threshold_ms" {
  type        = number
  description = "API p95 request duration in milliseconds above which (for 10 minutes) an alert fires."
  default     = 500

  validation {
    condition     = var.latency_threshold_ms > 0
    error_message = "latency_threshold_ms must be positive."
  }
}

variable "error_rate_threshold_percent" {
  type        = number
  description = "Percentage of 5xx API responses above which (for 5 minutes) an alert fires."
  default     = 1

  validation {
    condition     = var.error_rate_threshold_percent > 0 && var.error_rate_threshold_percent <= 100
    error_message = "error_rate_threshold_percent must be in (0, 100]."
  }
}

variable "grafana_major_version" {
  type        = string
  description = "Major version of Grafana that Azure Managed Grafana runs."
  default     = "11"

  validation {
    condition     = can(regex("^[0-9]+$", var.grafana_major_version))
    error_message = "grafana_major_version must be a major version number such as \"11\"."
  }
}

variable "grafana_zone_redundancy_enabled" {
  type        = bool
  description = "Whether Managed Grafana spreads across availability zones (set at creation only)."
  default     = false
}

variable "grafana_admin_group_object_ids" {
  type        = list(string)
  description = "Entra ID groups given \"Grafana Admin\" on the Managed Grafana (dashboards, data sources, users)."

  validation {
    condition     = length(var.grafana_admin_group_object_ids) > 0 && alltrue([for id in var.grafana_admin_group_object_ids : can(regex("^[0-9a-fA-F-]{36}$", id))])
    error_message = "grafana_admin_group_object_ids must name at least one Entra ID group object ID (GUID)."
  }
}

variable "grafana_viewer_group_object_ids" {
  type        = list(string)
  description = "Entra ID groups given \"Grafana Viewer\" on the Managed Grafana (read dashboards)."
  default     = []

  validation {
    condition     = alltrue([for id in var.grafana_viewer_group_object_ids : can(regex("^[0-9a-fA-F-]{36}$", id))])
    error_message = "grafana_viewer_group_object_ids must hold Entra ID group object IDs (GUIDs)."
  }
}
