# The delivery pipeline's identity: a user-assigned identity GitHub Actions logs in as (OIDC, one
# environment), with AcrPush on the registry, AKS RBAC Writer on one namespace and, in that namespace, write
# access to the custom resources the application's manifests apply.

locals {
  suffix = "${var.project}-${var.environment}"
  tags   = merge(var.tags, { module = "identity", environment = var.environment })

  # The custom resources k8s/prod applies (plural kind = API group), and no other: managed Prometheus'
  # ServiceMonitor (its alerts are Terraform's rule groups; cert-manager makes the ingress's Certificate itself).
  custom_resources = {
    servicemonitors = "azmonitoring.coreos.com"
  }
  # The custom role's data actions (terraform/bootstrap defines the role, as no apply identity may).
  custom_resource_actions = [
    "Microsoft.ContainerService/managedClusters/customresources/read",
    "Microsoft.ContainerService/managedClusters/customresources/write",
    "Microsoft.ContainerService/managedClusters/customresources/delete",
  ]
  # ABAC condition (version 2.0): the role's custom-resource actions only on the kinds above; see
  # https://learn.microsoft.com/azure/aks/entra-id-authorization (custom resources with ABAC conditions).
  custom_resources_condition = format(
    "((%s) OR %s)",
    join(" AND ", [for action in local.custom_resource_actions : "!(ActionMatches{'${action}'})"]),
    join(" OR ", [
      for kind, group in local.custom_resources :
      "(@Request[Microsoft.ContainerService/managedClusters/customResources:group] StringEqualsIgnoreCase '${group}' AND @Request[Microsoft.ContainerService/managedClusters/customResources:kind] StringEqualsIgnoreCase '${kind}')"
    ]),
  )
  resource_group_id = regex("^/subscriptions/[^/]+/resourceGroups/[^/]+", var.aks_cluster_id)
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

# "Azure Kubernetes Service RBAC Writer" covers Kubernetes' own kinds only: custom resources need their own
# data actions, or applying k8s/prod is Forbidden. terraform/bootstrap defines that role (creating a role
# needs Microsoft.Authorization/roleDefinitions/write, which the apply identity lacks); this reads it.
data "azurerm_role_definition" "custom_resources_writer" {
  name  = "AKS custom resources writer (${var.project}-${var.environment})"
  scope = local.resource_group_id
}

resource "azurerm_role_assignment" "aks_namespace_custom_resources" {
  scope                            = "${var.aks_cluster_id}/namespaces/${var.kubernetes_namespace}"
  role_definition_id               = data.azurerm_role_definition.custom_resources_writer.id
  principal_id                     = azurerm_user_assigned_identity.github.principal_id
  principal_type                   = "ServicePrincipal"
  condition                        = local.custom_resources_condition
  condition_version                = "2.0"
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
