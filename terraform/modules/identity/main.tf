# The delivery pipeline's identity: a user-assigned identity GitHub Actions logs in as (OIDC, one
# environment), with AcrPush on the registry and AKS RBAC Writer on one namespace.

locals {
  suffix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { module = "identity", environment = var.environment })
}

# The delivery pipeline (build, push, deploy) logs in as this identity through GitHub's OIDC token:
# no client secret exists anywhere.
resource "azurerm_user_assigned_identity" "github" {
  name                = "id-${local.suffix}-github"
  location            = var.location
  resource_group_name = var.resource_group_name
  tags                = local.tags
}

# Only jobs bound to the repository's deployment environment (with its approval rules) get a token.
resource "azurerm_federated_identity_credential" "github_environment" {
  name                = "github-${var.github_environment}"
  resource_group_name = var.resource_group_name
  parent_id           = azurerm_user_assigned_identity.github.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:${var.github_repository}:environment:${var.github_environment}"
}

resource "azurerm_role_assignment" "acr_push" {
  scope                            = var.acr_id
  role_definition_name             = "AcrPush"
  principal_id                     = azurerm_user_assigned_identity.github.principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

# Kubernetes write access in the application's namespace only (Azure RBAC for Kubernetes).
resource "azurerm_role_assignment" "aks_namespace_writer" {
  scope                            = "${var.aks_cluster_id}/namespaces/${var.kubernetes_namespace}"
  role_definition_name             = "Azure Kubernetes Service RBAC Writer"
  principal_id                     = azurerm_user_assigned_identity.github.principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

# Lets the pipeline fetch a kubeconfig (az aks get-credentials); it carries no Kubernetes permission itself.
resource "azurerm_role_assignment" "aks_cluster_user" {
  scope                            = var.aks_cluster_id
  role_definition_name             = "Azure Kubernetes Service Cluster User Role"
  principal_id                     = azurerm_user_assigned_identity.github.principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}
