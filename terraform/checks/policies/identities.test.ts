import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import {
  applyIdentitiesKeepToTheirEnvironment,
  noSubscriptionWideRights,
  planIdentityReadOnly,
  roleAssignmentsConstrained,
  terraformSubjectsExpected,
} from "./identities.ts";

const BOOTSTRAP = "terraform/bootstrap/main.tf";
const MODULE = "terraform/modules/app/main.tf";

// A bootstrap in small: the plan identity, an apply identity per environment, the constrained RBAC
// Administrator, and the custom role it may assign.
const BOOTSTRAP_MAIN = `
locals {
  environments = {
    dev  = "development"
    prod = "production"
  }
  assigned_built_in_roles = {
    "AcrPull" = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
  }
  assignable_role_ids = {
    for environment in keys(local.environments) : environment => join(", ", concat(
      values(local.assigned_built_in_roles),
      [azurerm_role_definition.writer[environment].role_definition_id],
    ))
  }
  constrain_roles = "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {%s})) AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {%s}))"
}
resource "azurerm_role_definition" "writer" {
  for_each = local.environments
  name     = "writer (\${var.project}-\${each.key})"
}
resource "azurerm_federated_identity_credential" "plan" {
  parent_id = azurerm_user_assigned_identity.plan.id
  subject   = "repo:\${var.github_repository}:pull_request"
}
resource "azurerm_role_assignment" "plan_reader" {
  for_each             = local.environments
  scope                = azurerm_resource_group.environment[each.key].id
  role_definition_name = "Reader"
  principal_id         = azurerm_user_assigned_identity.plan.principal_id
}
resource "azurerm_federated_identity_credential" "apply" {
  for_each  = local.environments
  parent_id = azurerm_user_assigned_identity.apply[each.key].id
  subject   = "repo:\${var.github_repository}:environment:\${each.value}"
}
resource "azurerm_role_assignment" "apply_contributor" {
  for_each             = local.environments
  scope                = azurerm_resource_group.environment[each.key].id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.apply[each.key].principal_id
}
resource "azurerm_role_assignment" "apply_role_assignments" {
  for_each             = local.environments
  scope                = azurerm_resource_group.environment[each.key].id
  role_definition_name = "Role Based Access Control Administrator"
  principal_id         = azurerm_user_assigned_identity.apply[each.key].principal_id
  condition_version    = "2.0"
  condition            = format(local.constrain_roles, local.assignable_role_ids[each.key], local.assignable_role_ids[each.key])
}`;

// What the environments assign: a built-in role and the bootstrap's custom role, read by name.
const MODULE_MAIN = `
resource "azurerm_role_assignment" "pull" {
  scope                = var.acr_id
  role_definition_name = "AcrPull"
}
data "azurerm_role_definition" "writer" {
  name = "writer (\${var.project}-\${var.environment})"
}
resource "azurerm_role_assignment" "writer" {
  scope              = var.namespace_id
  role_definition_id = data.azurerm_role_definition.writer.id
}`;

const estate = (bootstrap = BOOTSTRAP_MAIN, module = MODULE_MAIN) =>
  parseTfFiles({ [BOOTSTRAP]: bootstrap, [MODULE]: module });

describe("noSubscriptionWideRights", () => {
  test("passes Contributor and RBAC Administrator on a resource group, Reader anywhere", async () => {
    const files = await estate(
      BOOTSTRAP_MAIN.concat(`
resource "azurerm_role_assignment" "audit" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Reader"
}`),
    );
    assert.deepEqual(noSubscriptionWideRights(files), []);
  });

  test("names Owner and User Access Administrator anywhere, Contributor and RBAC Administrator above a resource group", async () => {
    const files = await parseTfFiles({
      [BOOTSTRAP]: `
resource "azurerm_role_assignment" "owner" {
  scope                = azurerm_resource_group.environment["prod"].id
  role_definition_name = "Owner"
}
resource "azurerm_role_assignment" "uaa" {
  scope              = var.scope
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
}
resource "azurerm_role_assignment" "contributor" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Contributor"
}
resource "azurerm_role_assignment" "rbac" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Role Based Access Control Administrator"
}`,
    });
    assert.deepEqual(noSubscriptionWideRights(files), [
      `${BOOTSTRAP}: azurerm_role_assignment.contributor: scope: is "\${data.azurerm_subscription.current.id}", must be a resource group: Contributor above one environment's group reaches every environment`,
      `${BOOTSTRAP}: azurerm_role_assignment.owner: role_definition_name: is "Owner": it can assign any role; use Contributor and the constrained Role Based Access Control Administrator`,
      `${BOOTSTRAP}: azurerm_role_assignment.rbac: scope: is "/subscriptions/00000000-0000-0000-0000-000000000000", must be a resource group: Role Based Access Control Administrator above one environment's group reaches every environment`,
      `${BOOTSTRAP}: azurerm_role_assignment.uaa: role_definition_name: is "User Access Administrator": it can assign any role; use Contributor and the constrained Role Based Access Control Administrator`,
    ]);
  });
});

describe("planIdentityReadOnly", () => {
  test("passes a plan identity with read roles beside apply identities with write roles", async () => {
    assert.deepEqual(planIdentityReadOnly(await estate()), []);
  });

  test("names a write role and a custom role given to the identity pull requests log in as", async () => {
    const files = await estate(
      BOOTSTRAP_MAIN.concat(`
resource "azurerm_role_assignment" "plan_state" {
  scope                = var.state_container_id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.plan.principal_id
}
resource "azurerm_role_assignment" "plan_custom" {
  for_each           = local.environments
  scope              = azurerm_resource_group.environment[each.key].id
  role_definition_id = azurerm_role_definition.writer[each.key].role_definition_resource_id
  principal_id       = azurerm_user_assigned_identity.plan.principal_id
}`),
    );
    const roles = "Reader, Storage Blob Data Reader, Azure Kubernetes Service Cluster User Role";
    assert.deepEqual(planIdentityReadOnly(files), [
      `${BOOTSTRAP}: azurerm_role_assignment.plan_custom: role_definition_id: is "\${azurerm_role_definition.writer[each.key].role_definition_resource_id}": the pull-request plan identity holds read roles only (${roles})`,
      `${BOOTSTRAP}: azurerm_role_assignment.plan_state: role_definition_name: is "Storage Blob Data Contributor": the pull-request plan identity holds read roles only (${roles})`,
    ]);
  });
});

describe("roleAssignmentsConstrained", () => {
  const ADMIN = `${BOOTSTRAP}: azurerm_role_assignment.apply_role_assignments: condition`;

  test("passes a condition listing exactly the built-in and custom roles the code assigns", async () => {
    assert.deepEqual(roleAssignmentsConstrained(await estate()), []);
  });

  test("names an RBAC Administrator without a condition, or whose condition leaves deletes open", async () => {
    const unconditioned = await estate(BOOTSTRAP_MAIN.replace('condition_version    = "2.0"', ""));
    assert.deepEqual(roleAssignmentsConstrained(unconditioned), [
      `${ADMIN}: must be set with condition_version "2.0": unconstrained, it can assign Owner`,
    ]);
    const writesOnly = await estate(
      BOOTSTRAP_MAIN.replace(
        " AND ((!(ActionMatches{'Microsoft.Authorization/roleAssignments/delete'})) OR (@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {%s}))",
        "",
      ),
    );
    assert.deepEqual(roleAssignmentsConstrained(writesOnly), [
      `${ADMIN}: must constrain both creating and deleting role assignments to listed roles (ActionMatches{'Microsoft.Authorization/roleAssignments/write'}; @Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals; ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}; @Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals)`,
    ]);
  });

  test("names a listed role nobody assigns, an assigned role or custom role the condition misses, and a role without a known ID", async () => {
    const files = await estate(
      BOOTSTRAP_MAIN.replace(
        '"AcrPull" = "7f951dda-4ed3-4680-a7ca-43fe172d538d"',
        '"Owner" = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"',
      ).replace("[azurerm_role_definition.writer[environment].role_definition_id]", "[]"),
      MODULE_MAIN.concat(`
resource "azurerm_role_assignment" "chaos" {
  scope                = var.acr_id
  role_definition_name = "Chaos Studio Operator"
}`),
    );
    assert.deepEqual(roleAssignmentsConstrained(files), [
      `${MODULE}: azurerm_role_assignment.chaos: role_definition_name: "Chaos Studio Operator" has no ID in BUILT_IN_ROLE_IDS (terraform/checks/policies/identities.ts): add it from Microsoft's built-in roles, then to the RBAC Administrator's condition`,
      `${ADMIN}: misses AcrPull (7f951dda-4ed3-4680-a7ca-43fe172d538d), which ${MODULE}: azurerm_role_assignment.pull assigns: the apply would fail`,
      `${ADMIN}: misses the custom role azurerm_role_definition.writer, which ${MODULE}: azurerm_role_assignment.writer assigns: the apply would fail`,
      `${ADMIN}: lists 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 (Owner), which no role assignment of this code uses: the apply identity could grant it`,
    ]);
    const unknown = await estate(
      BOOTSTRAP_MAIN.replace(
        '"AcrPull" = "7f951dda-4ed3-4680-a7ca-43fe172d538d"',
        '"AcrPull" = "7f951dda-4ed3-4680-a7ca-43fe172d538d"\n    "Mystery" = "00000000-0000-0000-0000-000000000001"',
      ),
    );
    assert.deepEqual(roleAssignmentsConstrained(unknown), [
      `${ADMIN}: lists 00000000-0000-0000-0000-000000000001 (an unknown role), which no role assignment of this code uses: the apply identity could grant it`,
    ]);
  });
});

describe("terraformSubjectsExpected", () => {
  test("passes pull_request and one credential per GitHub environment", async () => {
    assert.deepEqual(terraformSubjectsExpected(await estate()), []);
  });

  test("names a branch subject and the subjects nothing accepts", async () => {
    const files = await estate(
      BOOTSTRAP_MAIN.replace(":pull_request", ":ref:refs/heads/main").replace(
        'prod = "production"',
        'prod = "staging"',
      ),
    );
    const expected = [
      `"repo:\${var.github_repository}:pull_request"`,
      `"repo:\${var.github_repository}:environment:development"`,
      `"repo:\${var.github_repository}:environment:production"`,
    ].join(", ");
    assert.deepEqual(terraformSubjectsExpected(files), [
      `${BOOTSTRAP}: azurerm_federated_identity_credential.apply: subject: is "repo:\${var.github_repository}:environment:staging", must be one of ${expected}`,
      `${BOOTSTRAP}: azurerm_federated_identity_credential.plan: subject: is "repo:\${var.github_repository}:ref:refs/heads/main", must be one of ${expected}`,
      `${BOOTSTRAP}: azurerm_federated_identity_credential: subject: no credential accepts "repo:\${var.github_repository}:pull_request"`,
      `${BOOTSTRAP}: azurerm_federated_identity_credential: subject: no credential accepts "repo:\${var.github_repository}:environment:production"`,
    ]);
  });
});

describe("applyIdentitiesKeepToTheirEnvironment", () => {
  test("passes apply identities whose roles follow their own environment's key", async () => {
    assert.deepEqual(applyIdentitiesKeepToTheirEnvironment(await estate()), []);
  });

  test("names a role of an apply identity on another environment's group, or on a scope it cannot tie to one", async () => {
    const files = await estate(
      BOOTSTRAP_MAIN.replace(
        `  scope                = azurerm_resource_group.environment[each.key].id
  role_definition_name = "Contributor"`,
        `  scope                = azurerm_resource_group.environment["prod"].id
  role_definition_name = "Contributor"`,
      ).concat(`
resource "azurerm_role_assignment" "apply_state" {
  scope                = var.state_container_id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.apply["prod"].principal_id
}`),
    );
    const why =
      "apply identity's roles name only its own environment's resources (the same for_each key as its federated credential)";
    assert.deepEqual(applyIdentitiesKeepToTheirEnvironment(files), [
      `${BOOTSTRAP}: azurerm_role_assignment.apply_contributor: scope: is "\${azurerm_resource_group.environment["prod"].id}": the development ${why}`,
      `${BOOTSTRAP}: azurerm_role_assignment.apply_state: scope: is "\${var.state_container_id}": the production ${why}`,
    ]);
  });
});
