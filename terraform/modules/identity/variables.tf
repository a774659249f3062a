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

variable "github_repository" {
  type        = string
  description = "GitHub repository allowed to log in, as <owner>/<name>."

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "github_repository must be <owner>/<name>."
  }
}

variable "github_environment" {
  type        = string
  description = "GitHub deployment environment whose jobs may log in (its protection rules gate the deploy)."
  default     = "production"

  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+$", var.github_environment))
    error_message = "github_environment must be a GitHub environment name without spaces or colons."
  }
}

variable "acr_id" {
  type        = string
  description = "ID of the container registry the pipeline pushes to (AcrPush)."

  validation {
    condition     = can(regex("/registries/[^/]+$", var.acr_id))
    error_message = "acr_id must be a container registry resource ID."
  }
}

variable "aks_cluster_id" {
  type        = string
  description = "ID of the AKS cluster the pipeline deploys to."

  validation {
    condition     = can(regex("/managedClusters/[^/]+$", var.aks_cluster_id))
    error_message = "aks_cluster_id must be an AKS cluster resource ID."
  }
}

variable "kubernetes_namespace" {
  type        = string
  description = "The only namespace the pipeline may write to."
  default     = "cloudjobhunt"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.kubernetes_namespace))
    error_message = "kubernetes_namespace must be a valid Kubernetes namespace name."
  }
}
