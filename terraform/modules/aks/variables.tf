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

variable "kubernetes_version" {
  type        = string
  description = "Kubernetes minor version (e.g. \"1.33\"); null lets AKS pick its default."
  default     = null

  validation {
    condition     = var.kubernetes_version == null || can(regex("^1\\.[0-9]+(\\.[0-9]+)?$", var.kubernetes_version))
    error_message = "kubernetes_version must look like 1.33 or 1.33.2, or be null."
  }
}

variable "sku_tier" {
  type        = string
  description = "AKS control plane tier: Free (no SLA), Standard (uptime SLA) or Premium."
  default     = "Free"

  validation {
    condition     = contains(["Free", "Standard", "Premium"], var.sku_tier)
    error_message = "sku_tier must be Free, Standard or Premium."
  }
}

variable "automatic_upgrade_channel" {
  type        = string
  description = "AKS automatic upgrade channel: none, patch, stable, rapid or node-image."
  default     = "patch"

  validation {
    condition     = contains(["none", "patch", "stable", "rapid", "node-image"], var.automatic_upgrade_channel)
    error_message = "automatic_upgrade_channel must be one of none, patch, stable, rapid, node-image."
  }
}

variable "admin_group_object_ids" {
  type        = list(string)
  description = "Object IDs of the Entra ID groups that are cluster administrators."

  validation {
    condition     = alltrue([for id in var.admin_group_object_ids : can(regex("^[0-9a-fA-F-]{36}$", id))])
    error_message = "admin_group_object_ids must be Entra ID object IDs (GUIDs)."
  }
}

variable "nodes_subnet_id" {
  type        = string
  description = "ID of the subnet the nodes (and, with Azure CNI, the pods) take their addresses from."

  validation {
    condition     = can(regex("/subnets/[^/]+$", var.nodes_subnet_id))
    error_message = "nodes_subnet_id must be a subnet resource ID."
  }
}

variable "availability_zones" {
  type        = list(string)
  description = "Availability zones both node pools spread across."
  default     = ["1", "2", "3"]

  validation {
    condition     = length(var.availability_zones) > 0 && alltrue([for zone in var.availability_zones : contains(["1", "2", "3"], zone)])
    error_message = "availability_zones must be a non-empty subset of [\"1\", \"2\", \"3\"]."
  }
}

variable "system_node_pool" {
  type = object({
    vm_size         = string
    min_count       = number
    max_count       = number
    max_pods        = optional(number, 50)
    os_disk_size_gb = optional(number, 64)
  })
  description = "System node pool (critical add-ons only): VM size and autoscaler bounds."

  validation {
    condition     = var.system_node_pool.min_count >= 1 && var.system_node_pool.max_count >= var.system_node_pool.min_count
    error_message = "system_node_pool needs min_count >= 1 and max_count >= min_count."
  }
}

variable "user_node_pool" {
  type = object({
    vm_size         = string
    min_count       = number
    max_count       = number
    max_pods        = optional(number, 50)
    os_disk_size_gb = optional(number, 128)
  })
  description = "User node pool (application pods): VM size and autoscaler bounds."

  validation {
    condition     = var.user_node_pool.min_count >= 1 && var.user_node_pool.max_count >= var.user_node_pool.min_count
    error_message = "user_node_pool needs min_count >= 1 and max_count >= min_count."
  }
}

variable "service_cidr" {
  type        = string
  description = "CIDR for Kubernetes service IPs; must not overlap the VNet."
  default     = "172.16.0.0/16"

  validation {
    condition     = can(cidrhost(var.service_cidr, 0))
    error_message = "service_cidr must be a valid CIDR block."
  }
}

variable "dns_service_ip" {
  type        = string
  description = "Cluster DNS service IP, inside service_cidr."
  default     = "172.16.0.10"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", var.dns_service_ip))
    error_message = "dns_service_ip must be an IPv4 address."
  }
}

variable "log_analytics_workspace_id" {
  type        = string
  description = "ID of the Log Analytics workspace Container Insights sends to."

  validation {
    condition     = can(regex("/workspaces/[^/]+$", var.log_analytics_workspace_id))
    error_message = "log_analytics_workspace_id must be a Log Analytics workspace resource ID."
  }
}

variable "acr_id" {
  type        = string
  description = "ID of the container registry the kubelet identity may pull from."

  validation {
    condition     = can(regex("/registries/[^/]+$", var.acr_id))
    error_message = "acr_id must be a container registry resource ID."
  }
}

variable "api_server_authorized_ip_ranges" {
  type        = list(string)
  description = "CIDR ranges allowed to reach the Kubernetes API server (administrators, the delivery pipeline's runners); empty leaves it open to the internet."
  default     = []

  validation {
    condition     = alltrue([for range in var.api_server_authorized_ip_ranges : can(cidrhost(range, 0))])
    error_message = "api_server_authorized_ip_ranges must be CIDR ranges such as 203.0.113.0/24."
  }
}

variable "maintenance_window" {
  type = object({
    day_of_week    = string
    start_time     = string
    duration_hours = number
  })
  description = "Weekly window (UTC) in which AKS may upgrade the cluster and the nodes' OS image: day, HH:MM start, length in hours (at least 4)."
  default = {
    day_of_week    = "Sunday"
    start_time     = "01:00"
    duration_hours = 4
  }

  validation {
    condition     = can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window.start_time)) && var.maintenance_window.duration_hours >= 4 && var.maintenance_window.duration_hours <= 24
    error_message = "maintenance_window needs a HH:MM start_time and 4 to 24 duration_hours."
  }
}
