# What an administrator applies once, before the environments: their resource groups, their Terraform state
# containers, the AKS custom-resources role, and the identities the Terraform workflow logs in as. An
# identity cannot create itself, and a role assignment that lets an identity assign roles must be made by
# someone above it, so none of this lives in the environments.
#
# - plan: pull requests (GitHub OIDC subject `pull_request`); reads only: Reader, the state and the AKS
#   user kubeconfig (refresh lists it; with Entra ID it holds no secret). No Key Vault data role: the
#   estate manages no secret to refresh, and a pull request's code must not read the application's.
# - apply (one per environment, subject `environment:<GitHub environment>`): Contributor on its resource
#   group only, its state container, and Role Based Access Control Administrator on its resource group
#   constrained (ABAC) to the roles the environments' code assigns.
#
# The identities live in the state's resource group, where no apply identity has any right: an apply
# identity cannot add a federated credential to itself.

locals {
  tags = merge(var.tags, { project = var.project, managed-by = "terraform", module = "bootstrap" })

  # Environment => the GitHub deployment environment whose jobs apply it (production has required reviewers).
  environments = {
    dev  = "development"
    prod = "production"
  }

  # Every built-in role the environments' code assigns (azurerm_role_assignment in terraform/modules), by
  # name => role definition ID, the same in every tenant:
  # https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
  # The apply identities may assign these and the custom-resources role below, and no other.
  assigned_built_in_roles = {
    "AcrPull"                                    = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
    "AcrPush"                                    = "8311e382-0749-4cb8-b61a-304f252e45ec"
    "Azure Kubernetes Service Cluster User Role" = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"
    "Azure Kubernetes Service RBAC Writer"       = "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb"
    "Grafana Admin"                              = "22926164-76b3-42b3-bc55-97df8dab3e41"
    "Grafana Viewer"                             = "60921a7e-fef1-4a43-9b16-a26c52ad4769"
    "Monitoring Data Reader"                     = "b0d8363b-8ddd-447d-831f-62ca05bff136"
    "Monitoring Reader"                          = "43d0d8ad-25c7-4714-9337-8ba259a9fe05"
    "Network Contributor"                        = "4d97b98b-1d4f-4787-a291-c67834d212e7"
  }
  assignable_role_ids = {
    for environment in keys(local.environments) : environment => join(", ", concat(
      values(local.assigned_built_in_roles),
      [azurerm_role_definition.aks_custom_resources_writer[environment].role_definition_id],
    ))
  }
  # Microsoft's "Constrain roles" condition: role assignments may be created (@Request) and deleted
  # (@Resource) for the listed role definitions only:
  # https://learn.microsoft.com/azure/role-based-access-control/delegate-role-assignments-examples
  constrain_roles = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {%s})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {%s}))"

  # The custom resources' data actions (their kinds are named by the identity module's assignment condition).
  custom_resource_actions = [
    "Microsoft.ContainerService/managedClusters/customresources/read",
    "Microsoft.ContainerService/managedClusters/customresources/write",
    "Microsoft.ContainerService/managedClusters/customresources/delete",
  ]
}

resource "azurerm_resource_group" "environment" {
  for_each = local.environments
  name     = "rg-${var.project}-${each.key}"
  location = var.location
  tags     = merge(local.tags, { environment = each.key })
}

# One state container per environment, so an environment's apply identity can write its own state only.
resource "azurerm_storage_container" "state" {
  for_each              = local.environments
  name                  = "tfstate-${each.key}"
  storage_account_id    = var.tfstate_storage_account_id
  container_access_type = "private"
}

# Creating a role needs Microsoft.Authorization/roleDefinitions/write, which no apply identity holds (it
# could otherwise widen a role it may assign). The identity module assigns it on the application's namespace.
resource "azurerm_role_definition" "aks_custom_resources_writer" {
  for_each          = local.environments
  name              = "AKS custom resources writer (${var.project}-${each.key})"
  scope             = azurerm_resource_group.environment[each.key].id
  description       = "Read, write and delete custom resources; assigned on the application's namespace with a condition naming the kinds."
  assignable_scopes = [azurerm_resource_group.environment[each.key].id]

  permissions {
    actions      = []
    data_actions = local.custom_resource_actions
  }
}

# Pull-request plans.
resource "azurerm_user_assigned_identity" "plan" {
  name                = "id-${var.project}-terraform-plan"
  location            = var.location
  resource_group_name = var.tfstate_resource_group_name
  tags                = local.tags
}

resource "azurerm_federated_identity_credential" "plan" {
  name                = "${var.project}-github-pull-request"
  resource_group_name = var.tfstate_resource_group_name
  parent_id           = azurerm_user_assigned_identity.plan.id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:${var.github_repository}:pull_request"
}

resource "azurerm_role_assignment" "plan_reader" {
  for_each                         = local.environments
  scope                            = azurerm_resource_group.environment[each.key].id
  role_definition_name             = "Reader"
  principal_id                     = azurerm_user_assigned_identity.plan.principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

# Refreshing azurerm_kubernetes_cluster lists the user credentials (listClusterUserCredential/action); with
# Entra ID RBAC that kubeconfig carries no token and this role no Kubernetes permission.
resource "azurerm_role_assignment" "plan_cluster_user" {
  for_each                         = local.environments
  scope                            = azurerm_resource_group.environment[each.key].id
  role_definition_name             = "Azure Kubernetes Service Cluster User Role"
  principal_id                     = azurerm_user_assigned_identity.plan.principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

# Reading the state; taking the state lock (a blob lease) would be a write, so plans run with -lock=false.
resource "azurerm_role_assignment" "plan_state_reader" {
  for_each                         = local.environments
  scope                            = azurerm_storage_container.state[each.key].id
  role_definition_name             = "Storage Blob Data Reader"
  principal_id                     = azurerm_user_assigned_identity.plan.principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

# Applies on main, one identity per environment.
resource "azurerm_user_assigned_identity" "apply" {
  for_each            = local.environments
  name                = "id-${var.project}-terraform-${each.key}"
  location            = var.location
  resource_group_name = var.tfstate_resource_group_name
  tags                = merge(local.tags, { environment = each.key })
}

resource "azurerm_federated_identity_credential" "apply" {
  for_each            = local.environments
  name                = "github-${each.value}"
  resource_group_name = var.tfstate_resource_group_name
  parent_id           = azurerm_user_assigned_identity.apply[each.key].id
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  subject             = "repo:${var.github_repository}:environment:${each.value}"
}

resource "azurerm_role_assignment" "apply_contributor" {
  for_each                         = local.environments
  scope                            = azurerm_resource_group.environment[each.key].id
  role_definition_name             = "Contributor"
  principal_id                     = azurerm_user_assigned_identity.apply[each.key].principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}

resource "azurerm_role_assignment" "apply_role_assignments" {
  for_each                         = local.environments
  scope                            = azurerm_resource_group.environment[each.key].id
  role_definition_name             = "Role Based Access Control Administrator"
  principal_id                     = azurerm_user_assigned_identity.apply[each.key].principal_id
  principal_type                   = "ServicePrincipal"
  condition_version                = "2.0"
  condition                        = format(local.constrain_roles, local.assignable_role_ids[each.key], local.assignable_role_ids[each.key])
  skip_service_principal_aad_check = true
}

resource "azurerm_role_assignment" "apply_state" {
  for_each                         = local.environments
  scope                            = azurerm_storage_container.state[each.key].id
  role_definition_name             = "Storage Blob Data Contributor"
  principal_id                     = azurerm_user_assigned_identity.apply[each.key].principal_id
  principal_type                   = "ServicePrincipal"
  skip_service_principal_aad_check = true
}
