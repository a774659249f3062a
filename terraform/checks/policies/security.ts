// The estate's security promises, as pure functions of the parsed configuration: each returns one
// "file: address: argument: problem" line per broken promise, and nothing when the promise holds.
import {
  blockBodies,
  callsOfModule,
  dirOf,
  environmentOf,
  isRecord,
  outputs,
  resourceAddress,
  resources,
  type TfFile,
  variables,
  violation,
} from "../tf-tree.ts";
import { expectSet, expectValue, type Policy, show } from "./policy.ts";

const ofType = (files: TfFile[], type: string) => resources(files).filter((r) => r.type === type);

export const privatePostgresql: Policy = (files) => {
  const servers = ofType(files, "azurerm_postgresql_flexible_server");
  const problems = servers.flatMap((server) => [
    ...expectValue(
      server,
      server.body,
      "public_network_access_enabled",
      false,
      "the server is reachable from the VNet only",
    ),
    ...expectSet(server, server.body, "delegated_subnet_id", "private access needs a delegated subnet"),
    ...expectSet(server, server.body, "private_dns_zone_id", "private access needs a private DNS zone"),
  ]);
  const delegated = ofType(files, "azurerm_subnet").some((subnet) =>
    blockBodies(subnet.body.delegation)
      .flatMap((d) => blockBodies(d.service_delegation))
      .some((s) => s.name === "Microsoft.DBforPostgreSQL/flexibleServers"),
  );
  const linked = ofType(files, "azurerm_private_dns_zone_virtual_network_link").length > 0;
  const first = servers[0];
  if (first && !delegated) {
    problems.push(
      violation(
        first,
        "azurerm_subnet",
        "delegation",
        "no subnet is delegated to Microsoft.DBforPostgreSQL/flexibleServers",
      ),
    );
  }
  if (first && !linked) {
    problems.push(
      violation(
        first,
        "azurerm_private_dns_zone_virtual_network_link",
        "virtual_network_id",
        "no private DNS zone is linked to the VNet",
      ),
    );
  }
  return problems;
};

export const registryAdminDisabled: Policy = (files) =>
  ofType(files, "azurerm_container_registry").flatMap((registry) => [
    ...expectValue(
      registry,
      registry.body,
      "admin_enabled",
      false,
      "pushes and pulls authenticate with Entra ID, not the shared admin account",
    ),
    ...expectSet(
      registry,
      registry.body,
      "retention_policy_in_days",
      "untagged manifests must be purged where the SKU allows it",
    ),
  ]);

export const aksLocalAccountsDisabled: Policy = (files) =>
  ofType(files, "azurerm_kubernetes_cluster").flatMap((cluster) => {
    const rbac = blockBodies(cluster.body.azure_active_directory_role_based_access_control)[0];
    return [
      ...expectValue(
        cluster,
        cluster.body,
        "local_account_disabled",
        true,
        "only Entra ID identities may reach the API server",
      ),
      ...(rbac
        ? expectValue(
            cluster,
            rbac,
            "azure_rbac_enabled",
            true,
            "Kubernetes permissions come from Azure role assignments",
          ).map((p) =>
            p.replace(
              ": azure_rbac_enabled:",
              ": azure_active_directory_role_based_access_control.azure_rbac_enabled:",
            ),
          )
        : [
            violation(
              cluster,
              resourceAddress(cluster),
              "azure_active_directory_role_based_access_control",
              "block missing: Entra ID RBAC must be on",
            ),
          ]),
      ...expectValue(
        cluster,
        cluster.body,
        "oidc_issuer_enabled",
        true,
        "workload identity needs the OIDC issuer",
      ),
      ...expectValue(
        cluster,
        cluster.body,
        "workload_identity_enabled",
        true,
        "pods reach Key Vault through workload identity",
      ),
    ];
  });

export const keyVaultProtected: Policy = (files) => [
  ...ofType(files, "azurerm_key_vault").flatMap((vault) => [
    ...expectValue(
      vault,
      vault.body,
      "rbac_authorization_enabled",
      true,
      "access goes through Azure RBAC, not access policies",
    ),
    ...expectValue(
      vault,
      vault.body,
      "purge_protection_enabled",
      true,
      "deleted secrets must stay recoverable",
    ),
    ...expectSet(vault, vault.body, "soft_delete_retention_days", "soft delete retention must be explicit"),
    ...(vault.body.access_policy === undefined
      ? []
      : [
          violation(
            vault,
            resourceAddress(vault),
            "access_policy",
            "vault access policies bypass RBAC authorization",
          ),
        ]),
  ]),
  ...ofType(files, "azurerm_key_vault_access_policy").map((policy) =>
    violation(
      policy,
      resourceAddress(policy),
      "(resource)",
      "vault access policies bypass RBAC authorization",
    ),
  ),
];

// Attributes of azurerm resources that hold credentials, and names that announce one.
const SECRET_ATTRIBUTES = new Set([
  "result",
  "value",
  "administrator_password",
  "admin_password",
  "kube_config",
  "kube_config_raw",
  "kube_admin_config",
  "kube_admin_config_raw",
  "client_key",
  "client_certificate",
  "client_secret",
  "primary_access_key",
  "secondary_access_key",
  "primary_shared_key",
  "secondary_shared_key",
  "primary_connection_string",
  "secondary_connection_string",
]);
const SECRET_NAME = /(password|secret|_key|connection_string|kube_config)$/;
const REFERENCE = /\b(?:data\.)?([a-z][a-z0-9_]*)\.([a-zA-Z0-9_-]+)((?:\[[^\]]*\]|\.[a-zA-Z0-9_]+)*)/g;

/** The first secret an expression references, as written in it; undefined when it references none. */
export function secretReference(expression: string): string | undefined {
  for (const match of expression.matchAll(REFERENCE)) {
    const [whole, head = "", name = "", rest = ""] = match;
    const attributes = rest.split(/\[[^\]]*\]|\./).filter(Boolean);
    if (head === "random_password") return whole;
    if (head === "var" || head === "local") {
      if (SECRET_NAME.test(name)) return whole;
    } else if (head === "module") {
      if (attributes.some((a) => SECRET_NAME.test(a))) return whole;
    } else if (attributes.some((a) => SECRET_ATTRIBUTES.has(a))) {
      return whole;
    }
  }
  return undefined;
}

/** Outputs are documented and never carry a secret, not even one marked sensitive. */
export const noSecretOutputs: Policy = (files) =>
  outputs(files).flatMap((output) => {
    const address = `output.${output.name}`;
    const problems: string[] = [];
    const secret = secretReference(JSON.stringify(output.body.value ?? null));
    if (secret)
      problems.push(
        violation(
          output,
          address,
          "value",
          `references ${secret}: secrets stay in Key Vault, never in outputs`,
        ),
      );
    if (output.body.sensitive === true)
      problems.push(
        violation(
          output,
          address,
          "sensitive",
          "a sensitive output is a secret in outputs: read it from Key Vault instead",
        ),
      );
    if (typeof output.body.description !== "string" || output.body.description.trim() === "") {
      problems.push(violation(output, address, "description", "missing: every output is documented"));
    }
    return problems;
  });

// Resources whose loss loses data: the application's database and its server, the vault, the registry.
const DATA_HOLDERS = [
  "azurerm_postgresql_flexible_server",
  "azurerm_postgresql_flexible_server_database",
  "azurerm_key_vault",
  "azurerm_container_registry",
];

/** Every resource that holds data refuses a plan that would destroy it (`lifecycle { prevent_destroy = true }`). */
export const dataProtectedFromDestroy: Policy = (files) =>
  DATA_HOLDERS.flatMap((type) => ofType(files, type)).flatMap((holder) => {
    const lifecycle = blockBodies(holder.body.lifecycle)[0];
    return lifecycle?.prevent_destroy === true
      ? []
      : [
          violation(
            holder,
            resourceAddress(holder),
            "lifecycle.prevent_destroy",
            `is ${show(lifecycle?.prevent_destroy)}, must be true: a plan that destroys it (or forces its replacement) would lose data`,
          ),
        ];
  });

const AUTHORIZED_RANGES = "api_server_authorized_ip_ranges";

/** The cluster can limit its API server to listed ranges, and prod must list them (no default). */
export const apiServerNotPublicInProd: Policy = (files) => [
  ...ofType(files, "azurerm_kubernetes_cluster").flatMap((cluster) => {
    const dynamicProfile = isRecord(cluster.body.dynamic)
      ? blockBodies(cluster.body.dynamic.api_server_access_profile)[0]
      : undefined;
    const profile =
      blockBodies(cluster.body.api_server_access_profile)[0] ??
      (dynamicProfile ? blockBodies(dynamicProfile.content)[0] : undefined);
    return profile?.authorized_ip_ranges === `\${var.${AUTHORIZED_RANGES}}`
      ? []
      : [
          violation(
            cluster,
            resourceAddress(cluster),
            "api_server_access_profile.authorized_ip_ranges",
            `is ${show(profile?.authorized_ip_ranges)}, must be var.${AUTHORIZED_RANGES}: the API server answers listed ranges only`,
          ),
        ];
  }),
  ...callsOfModule(files, "aks")
    .filter((call) => environmentOf(dirOf(call)) === "prod")
    .flatMap((call) => {
      const problems: string[] = [];
      if (call.body[AUTHORIZED_RANGES] !== `\${var.${AUTHORIZED_RANGES}}`) {
        problems.push(
          violation(
            call,
            `module.${call.name}`,
            AUTHORIZED_RANGES,
            `is ${show(call.body[AUTHORIZED_RANGES])}, must be var.${AUTHORIZED_RANGES}: prod's API server is not public`,
          ),
        );
      }
      const declared = variables(files).find((v) => v.name === AUTHORIZED_RANGES && dirOf(v) === dirOf(call));
      if (!declared || "default" in declared.body) {
        problems.push(
          `${dirOf(call)}/variables.tf: variable.${AUTHORIZED_RANGES}: ${declared ? "has a default" : "missing"}: prod must list its ranges`,
        );
      }
      return problems;
    }),
];

/** Defender for Containers' sensor and the Azure Policy add-on run on every cluster. */
export const aksGuarded: Policy = (files) =>
  ofType(files, "azurerm_kubernetes_cluster").flatMap((cluster) => [
    ...expectValue(
      cluster,
      cluster.body,
      "azure_policy_enabled",
      true,
      "the Azure Policy add-on enforces the policies assigned to the cluster",
    ),
    ...(blockBodies(cluster.body.microsoft_defender)[0]?.log_analytics_workspace_id === undefined
      ? [
          violation(
            cluster,
            resourceAddress(cluster),
            "microsoft_defender.log_analytics_workspace_id",
            "is unset: Defender for Containers' sensor must report to the workspace",
          ),
        ]
      : []),
  ]);
