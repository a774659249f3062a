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
  description = "Kubernetes minor version of the prod cluster (for example 1.33): pinned, so a minor upgrade is a reviewed change; patches follow the patch channel in the maintenance window."

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.33."
  }
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

variable "api_server_authorized_ip_ranges" {
  type        = list(string)
  description = "CIDR ranges allowed to reach the prod Kubernetes API server: the administrators' and the delivery pipeline's runners' egress addresses."

  validation {
    condition     = length(var.api_server_authorized_ip_ranges) > 0 && alltrue([for range in var.api_server_authorized_ip_ranges : can(cidrhost(range, 0))])
    error_message = "api_server_authorized_ip_ranges needs at least one CIDR range: the prod API server is not public."
  }
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

variable "key_vault_allowed_ip_ranges" {
  type        = list(string)
  description = "Public CIDR ranges the prod Key Vault's firewall admits besides its private endpoint and trusted Azure services: administrators, and the runners' static egress should Terraform ever write secrets (it writes none today)."
  default     = []

  validation {
    condition     = alltrue([for range in var.key_vault_allowed_ip_ranges : can(cidrhost(range, 0))])
    error_message = "key_vault_allowed_ip_ranges must hold CIDR ranges such as 203.0.113.0/24."
  }
}
