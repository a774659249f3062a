variable "project" {
  type        = string
  description = "Short project name used in every resource name (lowercase letters and digits)."
  default     = "cloudhunt"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,11}$", var.project))
    error_message = "project must be 2-12 lowercase letters or digits, starting with a letter."
  }
}

variable "location" {
  type        = string
  description = "Azure region of the environment (needs three availability zones)."
  default     = "francecentral"

  validation {
    condition     = can(regex("^[a-z0-9]+$", var.location))
    error_message = "location must be an Azure region name in lowercase without spaces, e.g. francecentral."
  }
}

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version of the cluster; null lets AKS pick its default."
  default     = null
}

variable "aks_admin_group_object_ids" {
  type        = list(string)
  description = "Object IDs of the Entra ID groups that administer the cluster."

  validation {
    condition     = length(var.aks_admin_group_object_ids) > 0
    error_message = "aks_admin_group_object_ids must name at least one Entra ID group, or nobody can administer the cluster."
  }
}

variable "alert_email_receivers" {
  type        = map(string)
  description = "Who the alerts email: receiver name => email address."
}

variable "github_repository" {
  type        = string
  description = "GitHub repository (<owner>/<name>) whose deployment pipeline logs in to Azure."
}

variable "tags" {
  type        = map(string)
  description = "Extra tags for every resource (cost centre, owner...)."
  default     = {}
}

variable "postgresql_entra_administrator" {
  type = object({
    object_id      = string
    principal_name = string
    principal_type = string
  })
  description = "Entra principal that administers PostgreSQL (maps the API's workload identity to its database role): a group's object ID, display name and principal_type \"Group\"."
}

variable "grafana_viewer_group_object_ids" {
  type        = list(string)
  description = "Object IDs of the Entra ID groups that may read the Managed Grafana dashboards (the cluster's administrators administer it)."
  default     = []
}
