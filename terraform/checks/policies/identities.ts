// Who the Terraform workflow runs as (terraform/bootstrap; terraform/README.md, "Security: who can do what"):
// a read-only identity plans pull requests, one identity per environment applies it, no identity reaches
// beyond a resource group, and assigning roles is constrained to the roles this code assigns.
import {
  BOOTSTRAP_DIR,
  dirOf,
  type HclBody,
  isRecord,
  localsOf,
  resourceAddress,
  resources,
  type TfBlock,
  type TfFile,
  violation,
} from "../tf-tree.ts";
import type { Policy } from "./policy.ts";
import { customRoleDefinition } from "./topology.ts";

/**
 * Built-in role definition IDs, the same in every tenant
 * (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles): the roles this code assigns
 * and those the checks forbid. A role assigned by name must be listed here so the check can tell which ID
 * the RBAC Administrator's condition must name.
 */
export const BUILT_IN_ROLE_IDS: Record<string, string> = {
  AcrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  AcrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  "Azure Kubernetes Service Cluster User Role": "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
  "Azure Kubernetes Service RBAC Writer": "a7ffa36f-339b-4b5c-8bdf-e2c188b2c0eb",
  Contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  "Grafana Admin": "22926164-76b3-42b3-bc55-97df8dab3e41",
  "Grafana Viewer": "60921a7e-fef1-4a43-9b16-a26c52ad4769",
  "Key Vault Secrets Officer": "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
  "Monitoring Data Reader": "b0d8363b-8ddd-447d-831f-62ca05bff136",
  "Monitoring Reader": "43d0d8ad-25c7-4714-9337-8ba259a9fe05",
  "Network Contributor": "4d97b98b-1d4f-4787-a291-c67834d212e7",
  Owner: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  Reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  "Role Based Access Control Administrator": "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  "Storage Blob Data Contributor": "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  "Storage Blob Data Reader": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
  "User Access Administrator": "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
};

const RBAC_ADMINISTRATOR = "Role Based Access Control Administrator";
// Each can assign any role, Owner included: this code uses the constrained RBAC Administrator instead.
const ROLE_GRANTORS = ["Owner", "User Access Administrator"];
// Write access that must stay inside one environment's resource group.
const GROUP_SCOPED = ["Contributor", RBAC_ADMINISTRATOR];
// What a plan needs: read the resources and the state (the estate manages no secret to refresh), and list the AKS user
// kubeconfig (refreshing azurerm_kubernetes_cluster calls listClusterUserCredential; with Entra ID that
// kubeconfig holds no token and the role no Kubernetes permission).
const PLAN_ROLES = ["Reader", "Storage Blob Data Reader", "Azure Kubernetes Service Cluster User Role"];
const GITHUB = `repo:\${var.github_repository}`;
// The Terraform workflow's logins: pull requests, and the two GitHub environments' apply jobs.
const EXPECTED_SUBJECTS = [
  `${GITHUB}:pull_request`,
  `${GITHUB}:environment:development`,
  `${GITHUB}:environment:production`,
];
const PLAN_SUBJECT = /:pull_request$/;
// Microsoft's "Constrain roles" condition: creating (@Request) and deleting (@Resource) role assignments
// both limited to listed role definition IDs.
const CONSTRAIN_ROLES = [
  "ActionMatches{'Microsoft.Authorization/roleAssignments/write'}",
  "@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals",
  "ActionMatches{'Microsoft.Authorization/roleAssignments/delete'}",
  "@Resource[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals",
];
const GUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** One instance of a resource: its body with `each.key` / `each.value` replaced for `for_each` over a map. */
interface Instance {
  block: TfBlock;
  key?: string;
  body: HclBody;
}

function substitute(value: unknown, key: string, each: unknown): unknown {
  if (typeof value === "string") {
    let text = value.replaceAll(`\${each.key}`, key);
    if (typeof each === "string") text = text.replaceAll(`\${each.value}`, each);
    return text
      .replace(/\beach\.key\b/g, JSON.stringify(key))
      .replace(/\beach\.value\b/g, JSON.stringify(each));
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, key, each));
  if (isRecord(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, key, each)]));
  return value;
}

/** A block's instances when it iterates a literal map (or a local holding one); else the block as written. */
function instances(files: TfFile[], block: TfBlock): Instance[] {
  const forEach = block.body.for_each;
  const local = typeof forEach === "string" ? /^\$\{local\.(\w+)\}$/.exec(forEach)?.[1] : undefined;
  const map = local === undefined ? forEach : localsOf(files, dirOf(block))[local];
  if (!isRecord(map)) return [{ block, body: block.body }];
  return Object.entries(map).map(([key, each]) => ({
    block,
    key,
    body: substitute(block.body, key, each) as HclBody,
  }));
}

const instancesOf = (files: TfFile[], type: string) =>
  resources(files)
    .filter((r) => r.type === type)
    .flatMap((r) => instances(files, r));

/** "dir:name" or "dir:name["key"]" of the user-assigned identity an argument refers to. */
function identityOf(instance: Instance, argument: string): string | undefined {
  const match = /azurerm_user_assigned_identity\.([\w-]+(?:\[[^\]]*\])?)\.(?:principal_id|id)\b/.exec(
    String(instance.body[argument]),
  );
  return match ? `${dirOf(instance.block)}:${match[1]}` : undefined;
}

const roleName = ({ body }: { body: HclBody }) => {
  const name = body.role_definition_name;
  if (typeof name === "string") return name;
  const id = String(body.role_definition_id ?? "").match(GUID)?.[0];
  return Object.keys(BUILT_IN_ROLE_IDS).find((role) => BUILT_IN_ROLE_IDS[role] === id?.toLowerCase());
};

const IN_A_RESOURCE_GROUP = /azurerm_resource_group\.[\w-]+(\[[^\]]*\])?\.id\b|\/resourceGroups\/[^/]+/;

/** No identity can assign any role, and Contributor or RBAC Administrator reach one resource group at most. */
export const noSubscriptionWideRights: Policy = (files) =>
  resources(files)
    .filter((r) => r.type === "azurerm_role_assignment")
    .flatMap((assignment) => {
      const role = roleName(assignment);
      if (role !== undefined && ROLE_GRANTORS.includes(role)) {
        return [
          violation(
            assignment,
            resourceAddress(assignment),
            "role_definition_name",
            `is "${role}": it can assign any role; use Contributor and the constrained ${RBAC_ADMINISTRATOR}`,
          ),
        ];
      }
      if (role === undefined || !GROUP_SCOPED.includes(role)) return [];
      const scope = String(assignment.body.scope);
      return IN_A_RESOURCE_GROUP.test(scope)
        ? []
        : [
            violation(
              assignment,
              resourceAddress(assignment),
              "scope",
              `is ${JSON.stringify(scope)}, must be a resource group: ${role} above one environment's group reaches every environment`,
            ),
          ];
    });

/** The identity a pull_request subject logs in as holds read roles only. */
export const planIdentityReadOnly: Policy = (files) => {
  const planIdentities = new Set(
    instancesOf(files, "azurerm_federated_identity_credential")
      .filter((credential) => PLAN_SUBJECT.test(String(credential.body.subject)))
      .map((credential) => identityOf(credential, "parent_id")),
  );
  const granted = instancesOf(files, "azurerm_role_assignment")
    .filter((assignment) => planIdentities.has(identityOf(assignment, "principal_id")))
    .filter((assignment) => {
      const role = assignment.body.role_definition_name;
      return typeof role !== "string" || !PLAN_ROLES.includes(role);
    })
    .map((assignment) => assignment.block);
  return [...new Set(granted)].map((block) => {
    const { role_definition_name: role, role_definition_id: id } = block.body;
    return violation(
      block,
      resourceAddress(block),
      role === undefined ? "role_definition_id" : "role_definition_name",
      `is ${JSON.stringify(role ?? id)}: the pull-request plan identity holds read roles only (${PLAN_ROLES.join(", ")})`,
    );
  });
};

/** A condition's text with the locals it names (transitively) appended, so their literals can be read. */
function conditionText(files: TfFile[], assignment: TfBlock): string {
  const locals = localsOf(files, dirOf(assignment));
  const seen = new Set<string>();
  let text = String(assignment.body.condition);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [, name] of text.matchAll(/\blocal\.(\w+)/g)) {
      if (name === undefined || seen.has(name) || !(name in locals)) continue;
      seen.add(name);
      text += `\n${JSON.stringify(locals[name])}`;
      grew = true;
    }
  }
  return text;
}

/**
 * Every RBAC Administrator assignment carries Microsoft's "Constrain roles" condition, listing exactly the
 * roles the rest of the code assigns: one more would let the apply identity grant it, one fewer fails the apply.
 */
export const roleAssignmentsConstrained: Policy = (files) => {
  const problems: string[] = [];
  for (const admin of resources(files).filter(
    (r) => r.type === "azurerm_role_assignment" && roleName(r) === RBAC_ADMINISTRATOR,
  )) {
    const at = (argument: string, problem: string) =>
      violation(admin, resourceAddress(admin), argument, problem);
    if (typeof admin.body.condition !== "string" || admin.body.condition_version !== "2.0") {
      problems.push(
        at("condition", 'must be set with condition_version "2.0": unconstrained, it can assign Owner'),
      );
      continue;
    }
    const text = conditionText(files, admin);
    if (!CONSTRAIN_ROLES.every((clause) => text.includes(clause))) {
      problems.push(
        at(
          "condition",
          `must constrain both creating and deleting role assignments to listed roles (${CONSTRAIN_ROLES.join("; ")})`,
        ),
      );
      continue;
    }
    const listed = new Set([...text.matchAll(GUID)].map(([guid]) => guid.toLowerCase()));
    const listedCustom = new Set([...text.matchAll(/azurerm_role_definition\.([\w-]+)/g)].map(([, n]) => n));
    const assigned = resources(files).filter(
      (r) => r.type === "azurerm_role_assignment" && dirOf(r) !== dirOf(admin),
    );
    const expected = new Map<string, string>();
    for (const assignment of assigned) {
      const where = `${assignment.file}: ${resourceAddress(assignment)}`;
      const name = assignment.body.role_definition_name;
      if (typeof name !== "string") {
        const definition = customRoleDefinition(files, assignment);
        if (definition && !listedCustom.has(definition.name)) {
          problems.push(
            at(
              "condition",
              `misses the custom role azurerm_role_definition.${definition.name}, which ${where} assigns: the apply would fail`,
            ),
          );
        }
        continue;
      }
      const id = BUILT_IN_ROLE_IDS[name];
      if (id === undefined) {
        problems.push(
          violation(
            assignment,
            resourceAddress(assignment),
            "role_definition_name",
            `"${name}" has no ID in BUILT_IN_ROLE_IDS (terraform/checks/policies/identities.ts): add it from Microsoft's built-in roles, then to the RBAC Administrator's condition`,
          ),
        );
        continue;
      }
      if (!listed.has(id) && !expected.has(id)) {
        problems.push(
          at("condition", `misses ${name} (${id}), which ${where} assigns: the apply would fail`),
        );
      }
      expected.set(id, name);
    }
    for (const id of listed) {
      if (expected.has(id)) continue;
      const name = Object.keys(BUILT_IN_ROLE_IDS).find((role) => BUILT_IN_ROLE_IDS[role] === id);
      problems.push(
        at(
          "condition",
          `lists ${id} (${name ?? "an unknown role"}), which no role assignment of this code uses: the apply identity could grant it`,
        ),
      );
    }
  }
  return problems;
};

/** The bootstrap's GitHub logins are exactly pull requests and the development and production environments. */
export const terraformSubjectsExpected: Policy = (files) => {
  const credentials = instancesOf(files, "azurerm_federated_identity_credential").filter(
    (credential) => dirOf(credential.block) === BOOTSTRAP_DIR,
  );
  const problems = credentials
    .filter((credential) => !EXPECTED_SUBJECTS.includes(String(credential.body.subject)))
    .map((credential) =>
      violation(
        credential.block,
        resourceAddress(credential.block),
        "subject",
        `is ${JSON.stringify(credential.body.subject)}, must be one of ${EXPECTED_SUBJECTS.map((s) => JSON.stringify(s)).join(", ")}`,
      ),
    );
  const subjects = new Set(credentials.map((credential) => String(credential.body.subject)));
  for (const subject of EXPECTED_SUBJECTS.filter((s) => !subjects.has(s))) {
    problems.push(
      `${BOOTSTRAP_DIR}/main.tf: azurerm_federated_identity_credential: subject: no credential accepts ${JSON.stringify(subject)}`,
    );
  }
  return problems;
};

/**
 * Each apply identity's roles name its own environment's resources (the instance of the same `for_each`
 * key as its federated credential): the development login, which no reviewer guards, never reaches prod.
 */
export const applyIdentitiesKeepToTheirEnvironment: Policy = (files) => {
  const environmentOfIdentity = new Map<string, string>();
  const environmentOfKey = new Map<string, string>();
  for (const credential of instancesOf(files, "azurerm_federated_identity_credential")) {
    const environment = /:environment:([^:]+)$/.exec(String(credential.body.subject))?.[1];
    const identity = identityOf(credential, "parent_id");
    if (dirOf(credential.block) !== BOOTSTRAP_DIR || !environment || !identity) continue;
    environmentOfIdentity.set(identity, environment);
    if (credential.key !== undefined) environmentOfKey.set(credential.key, environment);
  }
  const problems = new Set<string>();
  for (const assignment of instancesOf(files, "azurerm_role_assignment")) {
    const environment = environmentOfIdentity.get(identityOf(assignment, "principal_id") ?? "");
    if (environment === undefined) continue;
    const key = /\["([^"]+)"\]/.exec(String(assignment.body.scope))?.[1];
    if (key !== undefined && environmentOfKey.get(key) === environment) continue;
    problems.add(
      violation(
        assignment.block,
        resourceAddress(assignment.block),
        "scope",
        `is "${String(assignment.block.body.scope)}": the ${environment} apply identity's roles name only its own environment's resources (the same for_each key as its federated credential)`,
      ),
    );
  }
  return [...problems];
};
