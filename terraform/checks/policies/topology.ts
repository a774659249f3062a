// Promises about how the estate is put together: HA where the seed asks for it, the AKS platform, the
// pipeline identity's reach, and the state backend.
import { isDeepStrictEqual } from "node:util";
import {
  BOOTSTRAP_DIR,
  blockBodies,
  callsOfModule,
  dataSources,
  dirOf,
  environmentOf,
  isRecord,
  isRootModule,
  localsOf,
  moduleInput,
  resourceAddress,
  resources,
  type TfBlock,
  type TfFile,
  terraformSettings,
  variableDefault,
  variables,
  violation,
} from "../tf-tree.ts";
import { expectSet, expectValue, type Policy, show } from "./policy.ts";
import { customResourcesOf, prodManifests } from "./prod-custom-resources.ts";

const moduleAddress = (call: TfBlock) => `module.${call.name}`;
const APP_DATABASE = "cloudjobhunt";

/** Zone-redundant HA exists in the database module, is on in prod and off everywhere else. */
export const highAvailabilityInProdOnly: Policy = (files) => {
  const problems: string[] = [];
  for (const server of resources(files).filter((r) => r.type === "azurerm_postgresql_flexible_server")) {
    const dynamicHa = isRecord(server.body.dynamic)
      ? blockBodies(server.body.dynamic.high_availability)[0]
      : undefined;
    const content = dynamicHa ? blockBodies(dynamicHa.content)[0] : undefined;
    if (!dynamicHa || !content) {
      problems.push(
        violation(
          server,
          resourceAddress(server),
          'dynamic "high_availability"',
          "missing: HA must be switchable per environment",
        ),
      );
      continue;
    }
    if (content.mode !== "ZoneRedundant") {
      problems.push(
        violation(
          server,
          resourceAddress(server),
          "high_availability.mode",
          `is ${show(content.mode)}, must be "ZoneRedundant"`,
        ),
      );
    }
    if (!String(dynamicHa.for_each).includes("var.high_availability_enabled")) {
      problems.push(
        violation(
          server,
          resourceAddress(server),
          'dynamic "high_availability".for_each',
          "must depend on var.high_availability_enabled",
        ),
      );
    }
  }
  for (const call of callsOfModule(files, "database")) {
    const environment = environmentOf(dirOf(call));
    const enabled = moduleInput(files, call, "high_availability_enabled");
    const expected = environment === "prod";
    if (enabled !== expected) {
      problems.push(
        violation(
          call,
          moduleAddress(call),
          "high_availability_enabled",
          `is ${show(enabled)} in ${environment ?? "a module"}, must be ${expected}: the seed asks for HA in prod only`,
        ),
      );
    }
    const sku = moduleInput(files, call, "sku_name");
    if (expected && typeof sku === "string" && sku.startsWith("B_")) {
      problems.push(
        violation(call, moduleAddress(call), "sku_name", `is ${show(sku)}: Burstable SKUs cannot run HA`),
      );
    }
  }
  return problems;
};

/** The `cloudjobhunt` database exists; backup retention and geo-redundancy are inputs, not constants. */
export const applicationDatabase: Policy = (files) => {
  const problems: string[] = [];
  for (const server of resources(files).filter((r) => r.type === "azurerm_postgresql_flexible_server")) {
    const dir = dirOf(server);
    for (const argument of ["backup_retention_days", "geo_redundant_backup_enabled"]) {
      if (!/^\$\{var\.\w+\}$/.test(String(server.body[argument]))) {
        problems.push(
          violation(
            server,
            resourceAddress(server),
            argument,
            `is ${show(server.body[argument])}, must be a variable`,
          ),
        );
      }
    }
    const databases = resources(files).filter(
      (r) => dirOf(r) === dir && r.type === "azurerm_postgresql_flexible_server_database",
    );
    const names = databases.map((db) => {
      const variable = /^\$\{var\.(\w+)\}$/.exec(String(db.body.name))?.[1];
      return variable ? variableDefault(files, dir, variable) : db.body.name;
    });
    if (!names.includes(APP_DATABASE)) {
      problems.push(
        violation(
          server,
          resourceAddress(server),
          "azurerm_postgresql_flexible_server_database",
          `no "${APP_DATABASE}" database (found ${show(names)})`,
        ),
      );
    }
  }
  for (const call of callsOfModule(files, "database")) {
    const name = moduleInput(files, call, "database_name");
    if (name !== undefined && name !== APP_DATABASE) {
      problems.push(
        violation(call, moduleAddress(call), "database_name", `is ${show(name)}, must be "${APP_DATABASE}"`),
      );
    }
  }
  return problems;
};

const nodePoolPromises = (pool: TfBlock, body: Record<string, unknown>, prefix: string) =>
  [
    ...expectValue(pool, body, "auto_scaling_enabled", true, "node pools scale with load"),
    ...expectSet(pool, body, "zones", "node pools spread across availability zones"),
    ...expectSet(pool, body, "min_count", "the autoscaler needs bounds"),
    ...expectSet(pool, body, "max_count", "the autoscaler needs bounds"),
  ].map((p) => (prefix ? p.replace(`${resourceAddress(pool)}: `, `${resourceAddress(pool)}: ${prefix}`) : p));

/** Azure CNI, autoscaled zonal system and user pools, the secrets provider, Container Insights, AcrPull. */
export const aksPlatform: Policy = (files) => {
  const problems: string[] = [];
  const all = resources(files);
  for (const cluster of all.filter((r) => r.type === "azurerm_kubernetes_cluster")) {
    const address = resourceAddress(cluster);
    const network = blockBodies(cluster.body.network_profile)[0] ?? {};
    if (network.network_plugin !== "azure") {
      problems.push(
        violation(
          cluster,
          address,
          "network_profile.network_plugin",
          `is ${show(network.network_plugin)}, must be "azure" (Azure CNI)`,
        ),
      );
    }
    const system = blockBodies(cluster.body.default_node_pool)[0];
    if (system) problems.push(...nodePoolPromises(cluster, system, "default_node_pool."));
    for (const addOn of ["key_vault_secrets_provider", "oms_agent"]) {
      if (blockBodies(cluster.body[addOn]).length === 0)
        problems.push(violation(cluster, address, addOn, "block missing"));
    }
    const oms = blockBodies(cluster.body.oms_agent)[0];
    if (oms)
      problems.push(
        ...expectSet(cluster, oms, "log_analytics_workspace_id", "Container Insights sends to Log Analytics"),
      );
    const clusterId = `${address}.id`;
    const collected = all.some(
      (r) =>
        r.type === "azurerm_monitor_data_collection_rule_association" &&
        String(r.body.target_resource_id).includes(clusterId),
    );
    if (oms?.msi_auth_for_monitoring_enabled === true && !collected) {
      problems.push(
        violation(
          cluster,
          address,
          "oms_agent.msi_auth_for_monitoring_enabled",
          "no data collection rule association targets the cluster, so the agent collects nothing",
        ),
      );
    }

    const sameDir = all.filter((r) => dirOf(r) === dirOf(cluster));
    const userPools = sameDir.filter(
      (r) => r.type === "azurerm_kubernetes_cluster_node_pool" && r.body.mode === "User",
    );
    if (userPools.length === 0)
      problems.push(
        violation(
          cluster,
          address,
          "azurerm_kubernetes_cluster_node_pool",
          'no user node pool (mode = "User") in the module',
        ),
      );
    for (const pool of userPools) problems.push(...nodePoolPromises(pool, pool.body, ""));
    const acrPull = sameDir.some(
      (r) =>
        r.type === "azurerm_role_assignment" &&
        r.body.role_definition_name === "AcrPull" &&
        String(r.body.principal_id).includes(".kubelet_identity[0].object_id"),
    );
    if (!acrPull)
      problems.push(
        violation(
          cluster,
          address,
          "kubelet_identity",
          "no AcrPull role assignment for the kubelet identity",
        ),
      );
  }
  return problems;
};

const GITHUB_ISSUER = "https://token.actions.githubusercontent.com";
/** An HCL interpolation as hcl2json writes it: ref("var.x") is "${var.x}". */
const ref = (expression: string) => `\${${expression}}`;
const GITHUB_SUBJECT = `repo:${ref("var.github_repository")}:environment:${ref("var.github_environment")}`;
// The only roles the delivery pipeline gets, each on the only scope it needs.
const PIPELINE_ROLES: Record<string, string> = {
  AcrPush: ref("var.acr_id"),
  "Azure Kubernetes Service RBAC Writer": `${ref("var.aks_cluster_id")}/namespaces/${ref("var.kubernetes_namespace")}`,
  "Azure Kubernetes Service Cluster User Role": ref("var.aks_cluster_id"),
};
const APP_NAMESPACE = "cloudjobhunt";
// AKS RBAC Writer covers Kubernetes' own kinds only; the custom resources k8s/prod applies (plural kind to
// API group, read from its manifests) come from a custom role with these data actions, its assignment
// conditioned on those kinds.
const CUSTOM_RESOURCE_ACTIONS = ["read", "write", "delete"].map(
  (verb) => `Microsoft.ContainerService/managedClusters/customresources/${verb}`,
);
const PIPELINE_CUSTOM_RESOURCES = customResourcesOf(prodManifests());
const CUSTOM_ROLE = /^\$\{azurerm_role_definition\.([\w-]+)\.role_definition_resource_id\}$/;
// A role another configuration defines (terraform/bootstrap), read by name.
const CUSTOM_ROLE_READ = /^\$\{data\.azurerm_role_definition\.([\w-]+)\.id\}$/;
/** A name with its interpolations blanked, so "x (${var.project}-${var.environment})" matches "x (${var.project}-${each.key})". */
const namePattern = (name: unknown) => String(name).replace(/\$\{[^}]*\}/g, "*");

/** The azurerm_role_definition an assignment's role_definition_id names: this module's, or one read by name. */
export function customRoleDefinition(files: TfFile[], assignment: TfBlock): TfBlock | undefined {
  const dir = dirOf(assignment);
  const id = String(assignment.body.role_definition_id);
  const own = CUSTOM_ROLE.exec(id)?.[1];
  if (own !== undefined) {
    return resources(files).find(
      (r) => r.type === "azurerm_role_definition" && r.name === own && dirOf(r) === dir,
    );
  }
  const read = CUSTOM_ROLE_READ.exec(id)?.[1];
  const lookup = dataSources(files).find(
    (d) => d.type === "azurerm_role_definition" && d.name === read && dirOf(d) === dir,
  );
  return lookup
    ? resources(files).find(
        (r) =>
          r.type === "azurerm_role_definition" && namePattern(r.body.name) === namePattern(lookup.body.name),
      )
    : undefined;
}

/** A value as written, or the local it names (`${local.x}`) as declared in `dir`. */
function resolveLocal(files: TfFile[], dir: string, value: unknown): unknown {
  const name = typeof value === "string" ? /^\$\{local\.(\w+)\}$/.exec(value)?.[1] : undefined;
  return name === undefined ? value : localsOf(files, dir)[name];
}

/** The custom role the pipeline gets in its namespace: custom-resource data actions only, on the listed kinds. */
function customRoleProblems(files: TfFile[], assignment: TfBlock, namespaceScope: string): string[] {
  const dir = dirOf(assignment);
  const at = (block: TfBlock, argument: string, problem: string) =>
    violation(block, resourceAddress(block), argument, problem);
  const definition = customRoleDefinition(files, assignment);
  if (!definition) {
    return [
      at(
        assignment,
        "role_definition_id",
        `is ${show(assignment.body.role_definition_id)}, must be a role_definition_resource_id of this module's azurerm_role_definition, or the id of a data.azurerm_role_definition naming one the bootstrap defines`,
      ),
    ];
  }
  const problems: string[] = [];
  const permissions = blockBodies(definition.body.permissions)[0] ?? {};
  const actions = resolveLocal(files, dirOf(definition), permissions.actions);
  if (Array.isArray(actions) ? actions.length > 0 : actions !== undefined) {
    problems.push(
      at(
        definition,
        "permissions.actions",
        `is ${show(actions)}, must be []: control-plane rights are not the pipeline's`,
      ),
    );
  }
  const dataActions = resolveLocal(files, dirOf(definition), permissions.data_actions);
  if (!isDeepStrictEqual(dataActions, CUSTOM_RESOURCE_ACTIONS)) {
    problems.push(
      at(
        definition,
        "permissions.data_actions",
        `is ${show(dataActions)}, must be ${show(CUSTOM_RESOURCE_ACTIONS)}`,
      ),
    );
  }
  if (assignment.body.scope !== namespaceScope) {
    problems.push(
      at(
        assignment,
        "scope",
        `is ${show(assignment.body.scope)}, must be ${show(namespaceScope)} for the custom role`,
      ),
    );
  }
  if (typeof assignment.body.condition !== "string" || assignment.body.condition_version !== "2.0") {
    problems.push(
      at(
        assignment,
        "condition",
        'must be set with condition_version "2.0": the role reaches only the kinds k8s/prod applies',
      ),
    );
  }
  const kinds = localsOf(files, dir).custom_resources;
  if (!isDeepStrictEqual(kinds, PIPELINE_CUSTOM_RESOURCES)) {
    problems.push(
      `${dir}/main.tf: locals: custom_resources: is ${show(kinds)}, must be ${show(PIPELINE_CUSTOM_RESOURCES)} (the custom resources k8s/prod applies)`,
    );
  }
  return problems;
}

/** GitHub logs in only from the production environment, with AcrPush and namespace-scoped AKS rights. */
export const pipelineIdentityScoped: Policy = (files) => {
  const problems: string[] = [];
  const all = resources(files);
  // The Terraform workflow's own identities (the bootstrap) are held by identities.ts.
  const github = all.filter(
    (r) =>
      r.type === "azurerm_federated_identity_credential" &&
      r.body.issuer === GITHUB_ISSUER &&
      dirOf(r) !== BOOTSTRAP_DIR,
  );
  for (const credential of github) {
    if (credential.body.subject !== GITHUB_SUBJECT) {
      problems.push(
        violation(
          credential,
          resourceAddress(credential),
          "subject",
          `is ${show(credential.body.subject)}, must be ${show(GITHUB_SUBJECT)}`,
        ),
      );
    }
    const dir = dirOf(credential);
    const namespace = variableDefault(files, dir, "kubernetes_namespace");
    if (namespace !== APP_NAMESPACE) {
      problems.push(
        `${dir}/variables.tf: variable.kubernetes_namespace: default: is ${show(namespace)}, must be "${APP_NAMESPACE}"`,
      );
    }
    const assignments = all.filter((r) => r.type === "azurerm_role_assignment" && dirOf(r) === dir);
    const namespaceScope = PIPELINE_ROLES["Azure Kubernetes Service RBAC Writer"] ?? "";
    for (const assignment of assignments) {
      if (assignment.body.role_definition_id !== undefined) {
        problems.push(...customRoleProblems(files, assignment, namespaceScope));
        continue;
      }
      const role = assignment.body.role_definition_name;
      const allowedScope = typeof role === "string" ? PIPELINE_ROLES[role] : undefined;
      if (allowedScope === undefined) {
        problems.push(
          violation(
            assignment,
            resourceAddress(assignment),
            "role_definition_name",
            `is ${show(role)}, not a role the pipeline needs (${Object.keys(PIPELINE_ROLES).join(", ")})`,
          ),
        );
      } else if (assignment.body.scope !== allowedScope) {
        problems.push(
          violation(
            assignment,
            resourceAddress(assignment),
            "scope",
            `is ${show(assignment.body.scope)}, must be ${show(allowedScope)} for ${role}`,
          ),
        );
      }
    }
    for (const required of ["AcrPush", "Azure Kubernetes Service RBAC Writer"]) {
      if (!assignments.some((a) => a.body.role_definition_name === required)) {
        problems.push(
          violation(
            credential,
            resourceAddress(credential),
            "role assignments",
            `the pipeline identity lacks ${required}`,
          ),
        );
      }
    }
    if (!assignments.some((a) => a.body.role_definition_id !== undefined)) {
      problems.push(
        violation(
          credential,
          resourceAddress(credential),
          "role assignments",
          "the pipeline identity lacks a custom role for the custom resources k8s/prod applies",
        ),
      );
    }
  }
  for (const call of callsOfModule(files, "identity")) {
    const environment = environmentOf(dirOf(call));
    const githubEnvironment = moduleInput(files, call, "github_environment");
    if (environment === "prod" && githubEnvironment !== "production") {
      problems.push(
        violation(
          call,
          moduleAddress(call),
          "github_environment",
          `is ${show(githubEnvironment)}, must be "production" (the environment with required reviewers)`,
        ),
      );
    }
  }
  return problems;
};

// The azurerm release whose schema @cdktf/provider-azurerm ships (azurerm-schema.ts reads it).
const AZURERM_RELEASE = "4.55.0";

/** Pinned Terraform and providers everywhere; environments keep state in an empty azurerm backend. */
export const pinnedAndRemoteState: Policy = (files) => {
  const problems: string[] = [];
  const settings = terraformSettings(files);
  for (const dir of new Set(files.map(dirOf))) {
    const here = settings.filter((s) => dirOf(s.file) === dir);
    const file = here[0]?.file ?? `${dir}/versions.tf`;
    const place = { file };
    if (!here.some((s) => s.body.required_version === ">= 1.9")) {
      problems.push(violation(place, "terraform", "required_version", 'must be ">= 1.9"'));
    }
    const providersPinned = here.flatMap((s) => blockBodies(s.body.required_providers));
    const azurerm = providersPinned.map((p) => p.azurerm).find(isRecord);
    // Root modules (environments, bootstrap) pin the exact release the offline schema checks read, so CI
    // cannot drift to another provider build until an init commits a .terraform.lock.hcl; modules accept
    // the 4.55 line.
    const azurermPin = isRootModule(dir) ? AZURERM_RELEASE : "~> 4.55";
    if (azurerm?.source !== "hashicorp/azurerm" || azurerm.version !== azurermPin) {
      problems.push(
        violation(
          place,
          "terraform",
          "required_providers.azurerm",
          `is ${show(azurerm)}, must pin hashicorp/azurerm "${azurermPin}"`,
        ),
      );
    }
    for (const provider of ["random", "time"]) {
      const uses = files.some(
        (f) =>
          dirOf(f) === dir &&
          isRecord(f.body.resource) &&
          Object.keys(f.body.resource).some((t) => t.startsWith(`${provider}_`)),
      );
      const pin = providersPinned.map((p) => p[provider]).find(isRecord);
      if (uses && (pin?.source !== `hashicorp/${provider}` || typeof pin.version !== "string")) {
        problems.push(
          violation(
            place,
            "terraform",
            `required_providers.${provider}`,
            `is ${show(pin)}, must pin hashicorp/${provider}`,
          ),
        );
      }
    }
    if (!isRootModule(dir)) continue;
    const backend = here.flatMap((s) =>
      isRecord(s.body.backend) ? blockBodies(s.body.backend.azurerm) : [],
    )[0];
    if (!backend) problems.push(violation(place, "terraform", "backend", 'missing backend "azurerm" {}'));
    else if (Object.keys(backend).length > 0) {
      problems.push(
        violation(
          place,
          "terraform",
          "backend.azurerm",
          `sets ${Object.keys(backend).join(", ")}: configure it with -backend-config`,
        ),
      );
    }
  }
  return problems;
};

const PROD_MIN_NODES = 3;

/** prod runs at least three nodes per pool across three zones, on the SLA-backed control plane tier. */
export const prodSizing: Policy = (files) =>
  callsOfModule(files, "aks")
    .filter((call) => environmentOf(dirOf(call)) === "prod")
    .flatMap((call) => {
      const problems: string[] = [];
      for (const pool of ["system_node_pool", "user_node_pool"]) {
        const value = moduleInput(files, call, pool);
        const minCount = isRecord(value) ? value.min_count : undefined;
        if (typeof minCount !== "number" || minCount < PROD_MIN_NODES) {
          problems.push(
            violation(
              call,
              moduleAddress(call),
              `${pool}.min_count`,
              `is ${show(minCount)}, prod needs at least ${PROD_MIN_NODES}`,
            ),
          );
        }
      }
      const zones = moduleInput(files, call, "availability_zones");
      if (!Array.isArray(zones) || zones.length < 3) {
        problems.push(
          violation(
            call,
            moduleAddress(call),
            "availability_zones",
            `is ${show(zones)}, prod spreads across 3 zones`,
          ),
        );
      }
      const tier = moduleInput(files, call, "sku_tier");
      if (tier !== "Standard" && tier !== "Premium") {
        problems.push(
          violation(
            call,
            moduleAddress(call),
            "sku_tier",
            `is ${show(tier)}, prod needs the uptime SLA (Standard or Premium)`,
          ),
        );
      }
      return problems;
    });

const MAINTENANCE_WINDOWS = ["maintenance_window_auto_upgrade", "maintenance_window_node_os"];

/** Upgrades wait for planned windows, and prod's minor version is pinned (a variable without default). */
export const upgradesPlanned: Policy = (files) => [
  ...resources(files)
    .filter((r) => r.type === "azurerm_kubernetes_cluster")
    .flatMap((cluster) =>
      MAINTENANCE_WINDOWS.filter((block) => blockBodies(cluster.body[block]).length === 0).map((block) =>
        violation(cluster, resourceAddress(cluster), block, "missing: upgrades would start at any hour"),
      ),
    ),
  ...callsOfModule(files, "aks")
    .filter((call) => environmentOf(dirOf(call)) === "prod")
    .flatMap((call) => {
      const problems: string[] = [];
      if (call.body.kubernetes_version !== ref("var.kubernetes_version")) {
        problems.push(
          violation(
            call,
            moduleAddress(call),
            "kubernetes_version",
            `is ${show(call.body.kubernetes_version)}, must be var.kubernetes_version`,
          ),
        );
      }
      const declared = variables(files).find(
        (v) => v.name === "kubernetes_version" && dirOf(v) === dirOf(call),
      );
      if (!declared || "default" in declared.body) {
        problems.push(
          `${dirOf(call)}/variables.tf: variable.kubernetes_version: ${declared ? "has a default" : "missing"}: prod pins its minor version`,
        );
      }
      return problems;
    }),
];
