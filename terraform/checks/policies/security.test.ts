import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import {
  aksGuarded,
  aksLocalAccountsDisabled,
  apiServerNotPublicInProd,
  dataProtectedFromDestroy,
  keyVaultProtected,
  noSecretOutputs,
  privatePostgresql,
  registryAdminDisabled,
  secretReference,
} from "./security.ts";

const FILE = "terraform/modules/x/main.tf";
const one = (text: string) => parseTfFiles({ [FILE]: text });

describe("privatePostgresql", () => {
  test("names a public server without subnet, zone, delegation or VNet link", async () => {
    const files = await one(`
resource "azurerm_postgresql_flexible_server" "db" {
  public_network_access_enabled = true
}`);
    const server = `${FILE}: azurerm_postgresql_flexible_server.db`;
    assert.deepEqual(privatePostgresql(files), [
      `${server}: public_network_access_enabled: is true, must be false: the server is reachable from the VNet only`,
      `${server}: delegated_subnet_id: is unset: private access needs a delegated subnet`,
      `${server}: private_dns_zone_id: is unset: private access needs a private DNS zone`,
      `${FILE}: azurerm_subnet: delegation: no subnet is delegated to Microsoft.DBforPostgreSQL/flexibleServers`,
      `${FILE}: azurerm_private_dns_zone_virtual_network_link: virtual_network_id: no private DNS zone is linked to the VNet`,
    ]);
  });

  test("passes a server in a delegated subnet with a linked zone", async () => {
    const files = await one(`
resource "azurerm_postgresql_flexible_server" "db" {
  public_network_access_enabled = false
  delegated_subnet_id           = var.subnet
  private_dns_zone_id           = var.zone
}
resource "azurerm_subnet" "db" {
  delegation {
    name = "d"
    service_delegation {
      name = "Microsoft.DBforPostgreSQL/flexibleServers"
    }
  }
}
resource "azurerm_private_dns_zone_virtual_network_link" "db" {
  virtual_network_id = var.vnet
}`);
    assert.deepEqual(privatePostgresql(files), []);
  });
});

describe("registryAdminDisabled", () => {
  test("names an admin-enabled registry without retention", async () => {
    const files = await one(`
resource "azurerm_container_registry" "acr" {
  admin_enabled = true
}`);
    assert.deepEqual(registryAdminDisabled(files), [
      `${FILE}: azurerm_container_registry.acr: admin_enabled: is true, must be false: pushes and pulls authenticate with Entra ID, not the shared admin account`,
      `${FILE}: azurerm_container_registry.acr: retention_policy_in_days: is unset: untagged manifests must be purged where the SKU allows it`,
    ]);
  });
});

describe("aksLocalAccountsDisabled", () => {
  test("names local accounts, Kubernetes RBAC without Azure RBAC, and missing workload identity", async () => {
    const files = await one(`
resource "azurerm_kubernetes_cluster" "aks" {
  local_account_disabled = false
  oidc_issuer_enabled    = true
  azure_active_directory_role_based_access_control {
    azure_rbac_enabled = false
  }
}
resource "azurerm_kubernetes_cluster" "bare" {
  local_account_disabled    = true
  workload_identity_enabled = true
}`);
    const aks = `${FILE}: azurerm_kubernetes_cluster.aks`;
    assert.deepEqual(aksLocalAccountsDisabled(files), [
      `${aks}: local_account_disabled: is false, must be true: only Entra ID identities may reach the API server`,
      `${aks}: azure_active_directory_role_based_access_control.azure_rbac_enabled: is false, must be true: Kubernetes permissions come from Azure role assignments`,
      `${aks}: workload_identity_enabled: is unset, must be true: pods reach Key Vault through workload identity`,
      `${FILE}: azurerm_kubernetes_cluster.bare: azure_active_directory_role_based_access_control: block missing: Entra ID RBAC must be on`,
      `${FILE}: azurerm_kubernetes_cluster.bare: oidc_issuer_enabled: is unset, must be true: workload identity needs the OIDC issuer`,
    ]);
  });
});

describe("keyVaultProtected", () => {
  test("names access policies, missing RBAC, purge protection and retention", async () => {
    const files = await one(`
resource "azurerm_key_vault" "kv" {
  enable_rbac_authorization = true
  access_policy {
    object_id = "x"
  }
}
resource "azurerm_key_vault_access_policy" "extra" {
  object_id = "y"
}`);
    const kv = `${FILE}: azurerm_key_vault.kv`;
    assert.deepEqual(keyVaultProtected(files), [
      `${kv}: rbac_authorization_enabled: is unset, must be true: access goes through Azure RBAC, not access policies`,
      `${kv}: purge_protection_enabled: is unset, must be true: deleted secrets must stay recoverable`,
      `${kv}: soft_delete_retention_days: is unset: soft delete retention must be explicit`,
      `${kv}: access_policy: vault access policies bypass RBAC authorization`,
      `${FILE}: azurerm_key_vault_access_policy.extra: (resource): vault access policies bypass RBAC authorization`,
    ]);
  });
});

describe("noSecretOutputs", () => {
  test("names outputs that carry a password, a kubeconfig, a secret module output, or are sensitive or undocumented", async () => {
    const files = await parseTfFiles({
      "terraform/modules/x/outputs.tf": `
output "password" {
  description = "d"
  value       = random_password.admin.result
}
output "kubeconfig" {
  description = "d"
  value       = azurerm_kubernetes_cluster.this.kube_config[0]
}
output "from_module" {
  description = "d"
  value       = module.database.admin_password
  sensitive   = true
}
output "undocumented" {
  value = 1
}
output "secret_name_is_fine" {
  description = "The name of the secret, not the secret."
  value       = azurerm_key_vault_secret.administrator_password.name
}`,
    });
    const at = "terraform/modules/x/outputs.tf: output.";
    // hcl2json sorts blocks by name.
    assert.deepEqual(noSecretOutputs(files), [
      `${at}from_module: value: references module.database.admin_password: secrets stay in Key Vault, never in outputs`,
      `${at}from_module: sensitive: a sensitive output is a secret in outputs: read it from Key Vault instead`,
      `${at}kubeconfig: value: references azurerm_kubernetes_cluster.this.kube_config[0]: secrets stay in Key Vault, never in outputs`,
      `${at}password: value: references random_password.admin.result: secrets stay in Key Vault, never in outputs`,
      `${at}undocumented: description: missing: every output is documented`,
    ]);
  });

  test("secretReference tells secret attributes from names that merely mention one", () => {
    assert.equal(secretReference(`\${azurerm_key_vault_secret.administrator_password.name}`), undefined);
    assert.equal(secretReference(`\${module.database.administrator_password_secret_name}`), undefined);
    assert.equal(secretReference(`\${var.administrator_login}`), undefined);
    assert.equal(secretReference(`\${var.db_password}`), "var.db_password");
    assert.equal(
      secretReference(`\${azurerm_postgresql_flexible_server.this.administrator_password}`),
      "azurerm_postgresql_flexible_server.this.administrator_password",
    );
    assert.equal(
      secretReference(`\${data.azurerm_key_vault_secret.x.value}`),
      "data.azurerm_key_vault_secret.x.value",
    );
  });
});

describe("dataProtectedFromDestroy", () => {
  test("names a server, a database, a vault and a registry a plan may destroy", async () => {
    const files = await one(`
resource "azurerm_postgresql_flexible_server" "db" {
  lifecycle {
    ignore_changes = [zone]
  }
}
resource "azurerm_postgresql_flexible_server_database" "app" {}
resource "azurerm_key_vault" "kv" {
  lifecycle {
    prevent_destroy = false
  }
}
resource "azurerm_container_registry" "acr" {}
resource "azurerm_log_analytics_workspace" "logs" {}`);
    const why = "a plan that destroys it (or forces its replacement) would lose data";
    assert.deepEqual(dataProtectedFromDestroy(files), [
      `${FILE}: azurerm_postgresql_flexible_server.db: lifecycle.prevent_destroy: is unset, must be true: ${why}`,
      `${FILE}: azurerm_postgresql_flexible_server_database.app: lifecycle.prevent_destroy: is unset, must be true: ${why}`,
      `${FILE}: azurerm_key_vault.kv: lifecycle.prevent_destroy: is false, must be true: ${why}`,
      `${FILE}: azurerm_container_registry.acr: lifecycle.prevent_destroy: is unset, must be true: ${why}`,
    ]);
  });

  test("passes data holders that prevent their destruction", async () => {
    const files = await one(`
resource "azurerm_key_vault" "kv" {
  lifecycle {
    prevent_destroy = true
  }
}`);
    assert.deepEqual(dataProtectedFromDestroy(files), []);
  });
});

describe("apiServerNotPublicInProd", () => {
  const AKS = `
resource "azurerm_kubernetes_cluster" "this" {
  dynamic "api_server_access_profile" {
    for_each = length(var.api_server_authorized_ip_ranges) > 0 ? [1] : []
    content {
      authorized_ip_ranges = var.api_server_authorized_ip_ranges
    }
  }
}`;
  const PROD_CALL = `
module "aks" {
  source                          = "../../modules/aks"
  api_server_authorized_ip_ranges = var.api_server_authorized_ip_ranges
}`;
  const PROD_VARIABLE = `
variable "api_server_authorized_ip_ranges" {
  type = list(string)
}`;

  test("passes a cluster taking its ranges and a prod that must list them", async () => {
    const files = await parseTfFiles({
      "terraform/modules/aks/main.tf": AKS,
      "terraform/environments/prod/main.tf": PROD_CALL,
      "terraform/environments/prod/variables.tf": PROD_VARIABLE,
    });
    assert.deepEqual(apiServerNotPublicInProd(files), []);
  });

  test("names a public API server, a prod call without ranges and a prod default", async () => {
    const files = await parseTfFiles({
      "terraform/modules/aks/main.tf": 'resource "azurerm_kubernetes_cluster" "this" {}',
      "terraform/environments/prod/main.tf": 'module "aks" {\n  source = "../../modules/aks"\n}',
      "terraform/environments/prod/variables.tf": PROD_VARIABLE.replace("}", "  default = []\n}"),
    });
    assert.deepEqual(apiServerNotPublicInProd(files), [
      "terraform/modules/aks/main.tf: azurerm_kubernetes_cluster.this: api_server_access_profile.authorized_ip_ranges: is unset, must be var.api_server_authorized_ip_ranges: the API server answers listed ranges only",
      "terraform/environments/prod/main.tf: module.aks: api_server_authorized_ip_ranges: is unset, must be var.api_server_authorized_ip_ranges: prod's API server is not public",
      "terraform/environments/prod/variables.tf: variable.api_server_authorized_ip_ranges: has a default: prod must list its ranges",
    ]);
  });
});

describe("aksGuarded", () => {
  test("names a cluster without the Azure Policy add-on or Defender's sensor", async () => {
    const at = `${FILE}: azurerm_kubernetes_cluster.aks`;
    assert.deepEqual(aksGuarded(await one('resource "azurerm_kubernetes_cluster" "aks" {}')), [
      `${at}: azure_policy_enabled: is unset, must be true: the Azure Policy add-on enforces the policies assigned to the cluster`,
      `${at}: microsoft_defender.log_analytics_workspace_id: is unset: Defender for Containers' sensor must report to the workspace`,
    ]);
  });

  test("passes a cluster with both", async () => {
    const files = await one(`
resource "azurerm_kubernetes_cluster" "aks" {
  azure_policy_enabled = true
  microsoft_defender {
    log_analytics_workspace_id = var.workspace
  }
}`);
    assert.deepEqual(aksGuarded(files), []);
  });
});
