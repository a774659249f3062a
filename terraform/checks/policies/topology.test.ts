import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import {
  aksPlatform,
  applicationDatabase,
  highAvailabilityInProdOnly,
  pinnedAndRemoteState,
  pipelineIdentityScoped,
  prodSizing,
  upgradesPlanned,
} from "./topology.ts";

const DB_MODULE = `
variable "high_availability_enabled" {
  type    = bool
  default = false
}
variable "sku_name" {
  type = string
}
resource "azurerm_postgresql_flexible_server" "this" {
  dynamic "high_availability" {
    for_each = var.high_availability_enabled ? [1] : []
    content {
      mode = "ZoneRedundant"
    }
  }
}`;
const callDatabase = (inputs: string) => `
module "database" {
  source = "../../modules/database"
  ${inputs}
}`;

describe("highAvailabilityInProdOnly", () => {
  test("passes HA on in prod, left to the default elsewhere", async () => {
    const files = await parseTfFiles({
      "terraform/modules/database/main.tf": DB_MODULE,
      "terraform/environments/prod/main.tf": callDatabase(
        'high_availability_enabled = true\n  sku_name = "GP_Standard_D4ds_v5"',
      ),
      "terraform/environments/dev/main.tf": callDatabase('sku_name = "B_Standard_B2s"'),
    });
    assert.deepEqual(highAvailabilityInProdOnly(files), []);
  });

  test("names HA off in prod, on in dev, a Burstable prod SKU and a same-zone standby mode", async () => {
    const files = await parseTfFiles({
      "terraform/modules/database/main.tf": DB_MODULE.replace("ZoneRedundant", "SameZone"),
      "terraform/environments/prod/main.tf": callDatabase('sku_name = "B_Standard_B2s"'),
      "terraform/environments/dev/main.tf": callDatabase("high_availability_enabled = true"),
    });
    assert.deepEqual(highAvailabilityInProdOnly(files), [
      'terraform/modules/database/main.tf: azurerm_postgresql_flexible_server.this: high_availability.mode: is "SameZone", must be "ZoneRedundant"',
      "terraform/environments/prod/main.tf: module.database: high_availability_enabled: is false in prod, must be true: the seed asks for HA in prod only",
      'terraform/environments/prod/main.tf: module.database: sku_name: is "B_Standard_B2s": Burstable SKUs cannot run HA',
      "terraform/environments/dev/main.tf: module.database: high_availability_enabled: is true in dev, must be false: the seed asks for HA in prod only",
    ]);
    const burstable = await parseTfFiles({
      "terraform/modules/database/main.tf": DB_MODULE,
      "terraform/environments/prod/main.tf": callDatabase(
        'high_availability_enabled = true\n  sku_name = "B_Standard_B2s"',
      ),
    });
    assert.deepEqual(highAvailabilityInProdOnly(burstable), [
      'terraform/environments/prod/main.tf: module.database: sku_name: is "B_Standard_B2s": Burstable SKUs cannot run HA',
    ]);
  });

  test("names a server whose HA cannot be switched per environment", async () => {
    const files = await parseTfFiles({
      "terraform/modules/database/main.tf":
        'resource "azurerm_postgresql_flexible_server" "this" {\n  high_availability {\n    mode = "ZoneRedundant"\n  }\n}\n',
    });
    assert.deepEqual(highAvailabilityInProdOnly(files), [
      'terraform/modules/database/main.tf: azurerm_postgresql_flexible_server.this: dynamic "high_availability": missing: HA must be switchable per environment',
    ]);
  });

  test("names HA switched by something other than var.high_availability_enabled", async () => {
    const files = await parseTfFiles({
      "terraform/modules/database/main.tf": DB_MODULE.replace(
        "var.high_availability_enabled ? [1] : []",
        "[1]",
      ),
    });
    assert.deepEqual(highAvailabilityInProdOnly(files), [
      'terraform/modules/database/main.tf: azurerm_postgresql_flexible_server.this: dynamic "high_availability".for_each: must depend on var.high_availability_enabled',
    ]);
  });
});

describe("aksPlatform and Container Insights", () => {
  const cluster = `
resource "azurerm_kubernetes_cluster" "this" {
  network_profile {
    network_plugin = "azure"
  }
  key_vault_secrets_provider {}
  oms_agent {
    log_analytics_workspace_id      = var.workspace
    msi_auth_for_monitoring_enabled = true
  }
}
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  mode                 = "User"
  auto_scaling_enabled = true
  zones                = ["1", "2"]
  min_count            = 1
  max_count            = 3
}
resource "azurerm_role_assignment" "pull" {
  role_definition_name = "AcrPull"
  principal_id         = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
}`;
  const association = `
resource "azurerm_monitor_data_collection_rule_association" "ci" {
  target_resource_id = azurerm_kubernetes_cluster.this.id
}`;

  test("passes a cluster whose managed-identity agent has a data collection rule", async () => {
    const files = await parseTfFiles({ "terraform/modules/aks/main.tf": cluster + association });
    assert.deepEqual(aksPlatform(files), []);
  });

  test("names a managed-identity agent without a data collection rule association", async () => {
    const files = await parseTfFiles({ "terraform/modules/aks/main.tf": cluster });
    assert.deepEqual(aksPlatform(files), [
      "terraform/modules/aks/main.tf: azurerm_kubernetes_cluster.this: oms_agent.msi_auth_for_monitoring_enabled: no data collection rule association targets the cluster, so the agent collects nothing",
    ]);
  });
});

describe("prodSizing", () => {
  const aks = (inputs: string) => `
module "aks" {
  source = "../../modules/aks"
  ${inputs}
}`;
  const variables =
    'variable "availability_zones" {\n  type    = list(string)\n  default = ["1", "2", "3"]\n}\n';

  test("passes prod with 3-node pools on the Standard tier, and ignores dev", async () => {
    const files = await parseTfFiles({
      "terraform/modules/aks/variables.tf": variables,
      "terraform/environments/prod/main.tf": aks(
        'sku_tier = "Standard"\n  system_node_pool = { vm_size = "a", min_count = 3, max_count = 5 }\n  user_node_pool = { vm_size = "a", min_count = 3, max_count = 9 }',
      ),
      "terraform/environments/dev/main.tf": aks('sku_tier = "Free"'),
    });
    assert.deepEqual(prodSizing(files), []);
  });

  test("names small pools, fewer zones and the Free tier in prod", async () => {
    const files = await parseTfFiles({
      "terraform/modules/aks/variables.tf": variables,
      "terraform/environments/prod/main.tf": aks(
        'sku_tier = "Free"\n  availability_zones = ["1"]\n  system_node_pool = { vm_size = "a", min_count = 1, max_count = 5 }',
      ),
    });
    const at = "terraform/environments/prod/main.tf: module.aks";
    assert.deepEqual(prodSizing(files), [
      `${at}: system_node_pool.min_count: is 1, prod needs at least 3`,
      `${at}: user_node_pool.min_count: is unset, prod needs at least 3`,
      `${at}: availability_zones: is ["1"], prod spreads across 3 zones`,
      `${at}: sku_tier: is "Free", prod needs the uptime SLA (Standard or Premium)`,
    ]);
  });
});

describe("applicationDatabase", () => {
  test("passes a cloudjobhunt database named through a variable, with backups from variables", async () => {
    const files = await parseTfFiles({
      "terraform/modules/database/main.tf": `
resource "azurerm_postgresql_flexible_server" "this" {
  backup_retention_days        = var.backup_retention_days
  geo_redundant_backup_enabled = var.geo_redundant_backup_enabled
}
resource "azurerm_postgresql_flexible_server_database" "app" {
  name = var.database_name
}`,
      "terraform/modules/database/variables.tf":
        'variable "database_name" {\n  type = string\n  default = "cloudjobhunt"\n}\n',
    });
    assert.deepEqual(applicationDatabase(files), []);
  });

  test("names constant backups, another database and a caller renaming it", async () => {
    const files = await parseTfFiles({
      "terraform/modules/database/main.tf": `
resource "azurerm_postgresql_flexible_server" "this" {
  backup_retention_days = 7
}
resource "azurerm_postgresql_flexible_server_database" "app" {
  name = "postgres_app"
}`,
      "terraform/environments/dev/main.tf": callDatabase('database_name = "jobs"'),
    });
    const at = "terraform/modules/database/main.tf: azurerm_postgresql_flexible_server.this";
    assert.deepEqual(applicationDatabase(files), [
      `${at}: backup_retention_days: is 7, must be a variable`,
      `${at}: geo_redundant_backup_enabled: is unset, must be a variable`,
      `${at}: azurerm_postgresql_flexible_server_database: no "cloudjobhunt" database (found ["postgres_app"])`,
      'terraform/environments/dev/main.tf: module.database: database_name: is "jobs", must be "cloudjobhunt"',
    ]);
  });
});

describe("aksPlatform", () => {
  test("names kubenet, a fixed-size pool, missing add-ons, no user pool and no AcrPull", async () => {
    const files = await parseTfFiles({
      "terraform/modules/aks/main.tf": `
resource "azurerm_kubernetes_cluster" "this" {
  network_profile {
    network_plugin = "kubenet"
  }
  default_node_pool {
    name       = "system"
    node_count = 3
  }
}`,
    });
    const at = "terraform/modules/aks/main.tf: azurerm_kubernetes_cluster.this";
    assert.deepEqual(aksPlatform(files), [
      `${at}: network_profile.network_plugin: is "kubenet", must be "azure" (Azure CNI)`,
      `${at}: default_node_pool.auto_scaling_enabled: is unset, must be true: node pools scale with load`,
      `${at}: default_node_pool.zones: is unset: node pools spread across availability zones`,
      `${at}: default_node_pool.min_count: is unset: the autoscaler needs bounds`,
      `${at}: default_node_pool.max_count: is unset: the autoscaler needs bounds`,
      `${at}: key_vault_secrets_provider: block missing`,
      `${at}: oms_agent: block missing`,
      `${at}: azurerm_kubernetes_cluster_node_pool: no user node pool (mode = "User") in the module`,
      `${at}: kubelet_identity: no AcrPull role assignment for the kubelet identity`,
    ]);
  });
});

const IDENTITY_VARIABLES = `
variable "kubernetes_namespace" {
  type    = string
  default = "cloudjobhunt"
}`;
const IDENTITY_MAIN = `
resource "azurerm_federated_identity_credential" "github" {
  issuer  = "https://token.actions.githubusercontent.com"
  subject = "repo:\${var.github_repository}:environment:\${var.github_environment}"
}
resource "azurerm_role_assignment" "push" {
  scope                = var.acr_id
  role_definition_name = "AcrPush"
}
resource "azurerm_role_assignment" "writer" {
  scope                = "\${var.aks_cluster_id}/namespaces/\${var.kubernetes_namespace}"
  role_definition_name = "Azure Kubernetes Service RBAC Writer"
}
locals {
  custom_resources = {
    servicemonitors = "azmonitoring.coreos.com"
  }
  actions = [
    "Microsoft.ContainerService/managedClusters/customresources/read",
    "Microsoft.ContainerService/managedClusters/customresources/write",
    "Microsoft.ContainerService/managedClusters/customresources/delete",
  ]
}
resource "azurerm_role_definition" "crs" {
  permissions {
    actions      = []
    data_actions = local.actions
  }
}
resource "azurerm_role_assignment" "crs" {
  scope              = "\${var.aks_cluster_id}/namespaces/\${var.kubernetes_namespace}"
  role_definition_id = azurerm_role_definition.crs.role_definition_resource_id
  condition          = local.condition
  condition_version  = "2.0"
}`;

describe("pipelineIdentityScoped", () => {
  test("passes an environment-bound subject with AcrPush and a namespace-scoped writer", async () => {
    const files = await parseTfFiles({
      "terraform/modules/identity/main.tf": IDENTITY_MAIN,
      "terraform/modules/identity/variables.tf": IDENTITY_VARIABLES,
      "terraform/environments/prod/main.tf":
        'module "identity" {\n  source = "../../modules/identity"\n  github_environment = "production"\n}\n',
    });
    assert.deepEqual(pipelineIdentityScoped(files), []);
  });

  test("names a branch subject, a cluster-wide writer, an extra role, another namespace and a non-production prod login", async () => {
    const files = await parseTfFiles({
      "terraform/modules/identity/main.tf": IDENTITY_MAIN.replace(
        `:environment:\${var.github_environment}`,
        ":ref:refs/heads/main",
      )
        .replace(`/namespaces/\${var.kubernetes_namespace}`, "")
        .concat(
          '\nresource "azurerm_role_assignment" "owner" {\n  scope = var.resource_group_id\n  role_definition_name = "Owner"\n}\n',
        ),
      "terraform/modules/identity/variables.tf": IDENTITY_VARIABLES.replace('"cloudjobhunt"', '"default"'),
      "terraform/environments/prod/main.tf":
        'module "identity" {\n  source = "../../modules/identity"\n  github_environment = "staging"\n}\n',
    });
    const at = "terraform/modules/identity/main.tf";
    assert.deepEqual(pipelineIdentityScoped(files), [
      `${at}: azurerm_federated_identity_credential.github: subject: is "repo:\${var.github_repository}:ref:refs/heads/main", must be "repo:\${var.github_repository}:environment:\${var.github_environment}"`,
      'terraform/modules/identity/variables.tf: variable.kubernetes_namespace: default: is "default", must be "cloudjobhunt"',
      `${at}: azurerm_role_assignment.owner: role_definition_name: is "Owner", not a role the pipeline needs (AcrPush, Azure Kubernetes Service RBAC Writer, Azure Kubernetes Service Cluster User Role)`,
      `${at}: azurerm_role_assignment.writer: scope: is "\${var.aks_cluster_id}", must be "\${var.aks_cluster_id}/namespaces/\${var.kubernetes_namespace}" for Azure Kubernetes Service RBAC Writer`,
      'terraform/environments/prod/main.tf: module.identity: github_environment: is "staging", must be "production" (the environment with required reviewers)',
    ]);
  });

  test("passes the custom role the bootstrap defines, read by name, and ignores the bootstrap's own identities", async () => {
    const [module, definition] = IDENTITY_MAIN.split('resource "azurerm_role_definition" "crs" {');
    const files = await parseTfFiles({
      "terraform/modules/identity/main.tf": `${module}
data "azurerm_role_definition" "crs" {
  name  = "AKS custom resources writer (\${var.project}-\${var.environment})"
  scope = local.resource_group_id
}
${(definition ?? "").replace(
  "azurerm_role_definition.crs.role_definition_resource_id",
  "data.azurerm_role_definition.crs.id",
)}`.replace(/\n {2}permissions \{[^}]*\}\n\}/, ""),
      "terraform/modules/identity/variables.tf": IDENTITY_VARIABLES,
      "terraform/bootstrap/main.tf": `
locals {
  actions = [
    "Microsoft.ContainerService/managedClusters/customresources/read",
    "Microsoft.ContainerService/managedClusters/customresources/write",
    "Microsoft.ContainerService/managedClusters/customresources/delete",
  ]
}
resource "azurerm_role_definition" "writer" {
  for_each = local.environments
  name     = "AKS custom resources writer (\${var.project}-\${each.key})"
  permissions {
    actions      = []
    data_actions = local.actions
  }
}
resource "azurerm_federated_identity_credential" "plan" {
  issuer  = "https://token.actions.githubusercontent.com"
  subject = "repo:\${var.github_repository}:pull_request"
}`,
    });
    assert.deepEqual(pipelineIdentityScoped(files), []);
  });

  test("names a pipeline identity without the roles it needs", async () => {
    const files = await parseTfFiles({
      "terraform/modules/identity/main.tf":
        IDENTITY_MAIN.split('resource "azurerm_role_assignment"')[0] ?? "",
      "terraform/modules/identity/variables.tf": IDENTITY_VARIABLES,
    });
    const at =
      "terraform/modules/identity/main.tf: azurerm_federated_identity_credential.github: role assignments";
    assert.deepEqual(pipelineIdentityScoped(files), [
      `${at}: the pipeline identity lacks AcrPush`,
      `${at}: the pipeline identity lacks Azure Kubernetes Service RBAC Writer`,
      `${at}: the pipeline identity lacks a custom role for the custom resources k8s/prod applies`,
    ]);
  });

  test("names a custom role with control-plane or wildcard actions, cluster-wide, unconditioned, on extra kinds", async () => {
    const files = await parseTfFiles({
      "terraform/modules/identity/main.tf": IDENTITY_MAIN.replace(
        "actions      = []",
        'actions      = ["Microsoft.ContainerService/managedClusters/write"]',
      )
        .replace(
          "data_actions = local.actions",
          'data_actions = ["Microsoft.ContainerService/managedClusters/*"]',
        )
        .replace(
          `scope              = "\${var.aks_cluster_id}/namespaces/\${var.kubernetes_namespace}"`,
          "scope              = var.aks_cluster_id",
        )
        .replace('condition_version  = "2.0"', "")
        .replace(
          'servicemonitors = "azmonitoring.coreos.com"',
          'istio = "security.istio.io"\n    servicemonitors = "monitoring.coreos.com"',
        ),
      "terraform/modules/identity/variables.tf": IDENTITY_VARIABLES,
    });
    const at = "terraform/modules/identity/main.tf";
    assert.deepEqual(pipelineIdentityScoped(files), [
      `${at}: azurerm_role_definition.crs: permissions.actions: is ["Microsoft.ContainerService/managedClusters/write"], must be []: control-plane rights are not the pipeline's`,
      `${at}: azurerm_role_definition.crs: permissions.data_actions: is ["Microsoft.ContainerService/managedClusters/*"], must be ["Microsoft.ContainerService/managedClusters/customresources/read","Microsoft.ContainerService/managedClusters/customresources/write","Microsoft.ContainerService/managedClusters/customresources/delete"]`,
      `${at}: azurerm_role_assignment.crs: scope: is "\${var.aks_cluster_id}", must be "\${var.aks_cluster_id}/namespaces/\${var.kubernetes_namespace}" for the custom role`,
      `${at}: azurerm_role_assignment.crs: condition: must be set with condition_version "2.0": the role reaches only the kinds k8s/prod applies`,
      `terraform/modules/identity/main.tf: locals: custom_resources: is {"istio":"security.istio.io","servicemonitors":"monitoring.coreos.com"}, must be {"servicemonitors":"azmonitoring.coreos.com"} (the custom resources k8s/prod applies)`,
    ]);
    const elsewhere = await parseTfFiles({
      "terraform/modules/identity/main.tf": IDENTITY_MAIN.replace(
        "azurerm_role_definition.crs.role_definition_resource_id",
        '"/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"',
      ),
      "terraform/modules/identity/variables.tf": IDENTITY_VARIABLES,
    });
    assert.deepEqual(pipelineIdentityScoped(elsewhere), [
      `${at}: azurerm_role_assignment.crs: role_definition_id: is "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", must be a role_definition_resource_id of this module's azurerm_role_definition, or the id of a data.azurerm_role_definition naming one the bootstrap defines`,
    ]);
  });
});

describe("pinnedAndRemoteState", () => {
  const versions = (extra: string, azurerm = '"~> 4.55"') => `
terraform {
  required_version = ">= 1.9"
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ${azurerm}
    }
  }
  ${extra}
}`;

  test("passes pinned modules and an environment with an empty azurerm backend", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/versions.tf": versions(""),
      "terraform/environments/prod/versions.tf": versions('backend "azurerm" {}', '"4.55.0"'),
    });
    assert.deepEqual(pinnedAndRemoteState(files), []);
  });

  test("names a module without the Terraform version floor", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/versions.tf": versions("").replace(
        'required_version = ">= 1.9"',
        'required_version = ">= 1.5"',
      ),
    });
    assert.deepEqual(pinnedAndRemoteState(files), [
      'terraform/modules/m/versions.tf: terraform: required_version: must be ">= 1.9"',
    ]);
  });

  test("names an environment and the bootstrap that let the azurerm release drift or keep local state", async () => {
    const files = await parseTfFiles({
      "terraform/environments/prod/versions.tf": versions('backend "azurerm" {}'),
      "terraform/bootstrap/versions.tf": versions(""),
    });
    assert.deepEqual(pinnedAndRemoteState(files), [
      'terraform/environments/prod/versions.tf: terraform: required_providers.azurerm: is {"source":"hashicorp/azurerm","version":"~> 4.55"}, must pin hashicorp/azurerm "4.55.0"',
      'terraform/bootstrap/versions.tf: terraform: required_providers.azurerm: is {"source":"hashicorp/azurerm","version":"~> 4.55"}, must pin hashicorp/azurerm "4.55.0"',
      'terraform/bootstrap/versions.tf: terraform: backend: missing backend "azurerm" {}',
    ]);
  });

  test("names a missing time pin where a time_sleep waits", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/versions.tf": versions(""),
      "terraform/modules/m/main.tf": 'resource "time_sleep" "wait" {\n  create_duration = "60s"\n}\n',
    });
    assert.deepEqual(pinnedAndRemoteState(files), [
      "terraform/modules/m/versions.tf: terraform: required_providers.time: is unset, must pin hashicorp/time",
    ]);
  });

  test("names a loose provider pin, a missing random pin, a missing backend and a hard-coded one", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/versions.tf": versions("", '">= 3.0"'),
      "terraform/modules/m/main.tf": 'resource "random_password" "p" {\n  length = 8\n}\n',
      "terraform/environments/dev/versions.tf": versions("", '"4.55.0"'),
      "terraform/environments/prod/versions.tf": versions(
        'backend "azurerm" {\n    storage_account_name = "x"\n  }',
        '"4.55.0"',
      ),
    });
    assert.deepEqual(pinnedAndRemoteState(files), [
      'terraform/modules/m/versions.tf: terraform: required_providers.azurerm: is {"source":"hashicorp/azurerm","version":">= 3.0"}, must pin hashicorp/azurerm "~> 4.55"',
      "terraform/modules/m/versions.tf: terraform: required_providers.random: is unset, must pin hashicorp/random",
      'terraform/environments/dev/versions.tf: terraform: backend: missing backend "azurerm" {}',
      "terraform/environments/prod/versions.tf: terraform: backend.azurerm: sets storage_account_name: configure it with -backend-config",
    ]);
  });
});

describe("upgradesPlanned", () => {
  const AKS = `
resource "azurerm_kubernetes_cluster" "this" {
  maintenance_window_auto_upgrade {
    frequency = "Weekly"
  }
  maintenance_window_node_os {
    frequency = "Weekly"
  }
}`;
  const PROD =
    'module "aks" {\n  source = "../../modules/aks"\n  kubernetes_version = var.kubernetes_version\n}\n';
  const PROD_VARIABLE = 'variable "kubernetes_version" {\n  type = string\n}\n';

  test("passes windows for both upgrades and a prod minor version without default", async () => {
    const files = await parseTfFiles({
      "terraform/modules/aks/main.tf": AKS,
      "terraform/environments/prod/main.tf": PROD,
      "terraform/environments/prod/variables.tf": PROD_VARIABLE,
    });
    assert.deepEqual(upgradesPlanned(files), []);
  });

  test("names missing windows, an unpinned prod call and a defaulted version", async () => {
    const files = await parseTfFiles({
      "terraform/modules/aks/main.tf": 'resource "azurerm_kubernetes_cluster" "this" {}',
      "terraform/environments/prod/main.tf": 'module "aks" {\n  source = "../../modules/aks"\n}\n',
      "terraform/environments/prod/variables.tf": PROD_VARIABLE.replace("}", "  default = null\n}"),
    });
    const at = "terraform/modules/aks/main.tf: azurerm_kubernetes_cluster.this";
    assert.deepEqual(upgradesPlanned(files), [
      `${at}: maintenance_window_auto_upgrade: missing: upgrades would start at any hour`,
      `${at}: maintenance_window_node_os: missing: upgrades would start at any hour`,
      "terraform/environments/prod/main.tf: module.aks: kubernetes_version: is unset, must be var.kubernetes_version",
      "terraform/environments/prod/variables.tf: variable.kubernetes_version: has a default: prod pins its minor version",
    ]);
  });
});
