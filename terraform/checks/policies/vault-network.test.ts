import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import { vaultPrivateInProd } from "./vault-network.ts";

const VAULT = "terraform/modules/keyvault/main.tf";
const NETWORK = "terraform/modules/networking/main.tf";
const PROD = "terraform/environments/prod/main.tf";

const TREE: Record<string, string> = {
  [VAULT]: `
resource "azurerm_key_vault" "this" {
  network_acls {
    default_action = var.network_default_action
    bypass         = "AzureServices"
    ip_rules       = var.allowed_ip_ranges
  }
}
resource "azurerm_private_endpoint" "vault" {
  private_service_connection {
    private_connection_resource_id = azurerm_key_vault.this.id
    subresource_names              = ["vault"]
  }
  private_dns_zone_group {
    name                 = "vaultcore"
    private_dns_zone_ids = [var.private_dns_zone_id]
  }
}`,
  "terraform/modules/keyvault/variables.tf": `
variable "network_default_action" {
  type    = string
  default = "Deny"
}`,
  [NETWORK]: `
resource "azurerm_private_dns_zone" "key_vault" {
  name = "privatelink.vaultcore.azure.net"
}
resource "azurerm_private_dns_zone_virtual_network_link" "key_vault" {
  private_dns_zone_name = azurerm_private_dns_zone.key_vault.name
  virtual_network_id    = azurerm_virtual_network.this.id
}`,
  "terraform/modules/networking/outputs.tf": `
output "key_vault_private_dns_zone_id" {
  value = azurerm_private_dns_zone.key_vault.id
}`,
  [PROD]: `
module "networking" {
  source = "../../modules/networking"
}
module "keyvault" {
  source                 = "../../modules/keyvault"
  network_default_action = "Deny"
  private_dns_zone_id    = module.networking.key_vault_private_dns_zone_id
}`,
};

const tree = (changes: Record<string, [string, string]> = {}) =>
  parseTfFiles(
    Object.fromEntries(
      Object.entries(TREE).map(([file, text]) => {
        const change = changes[file];
        return [file, change ? text.replace(change[0], change[1]) : text];
      }),
    ),
  );

describe("vaultPrivateInProd", () => {
  test("passes a vault behind its firewall with a private endpoint in a linked privatelink zone", async () => {
    assert.deepEqual(vaultPrivateInProd(await tree()), []);
  });

  test("passes prod leaving network_default_action to the module's Deny default", async () => {
    const files = await tree({ [PROD]: ['network_default_action = "Deny"', ""] });
    assert.deepEqual(vaultPrivateInProd(files), []);
  });

  test("names a firewall that shuts out trusted services and a vault without a private endpoint", async () => {
    const files = await tree({ [VAULT]: ['bypass         = "AzureServices"', 'bypass = "None"'] });
    const withoutEndpoint = await tree({ [VAULT]: ['subresource_names              = ["vault"]', ""] });
    assert.deepEqual(vaultPrivateInProd(files), [
      `${VAULT}: azurerm_key_vault.this: network_acls.bypass: is "None", must be "AzureServices": trusted Azure services (diagnostics, backups) still reach the vault`,
    ]);
    assert.deepEqual(vaultPrivateInProd(withoutEndpoint), [
      `${VAULT}: azurerm_key_vault.this: (private endpoint): no azurerm_private_endpoint connects to its "vault" subresource: the cluster would read secrets over the internet`,
    ]);
  });

  test("names an endpoint registered in no private DNS zone", async () => {
    const files = await tree({
      [VAULT]: [
        'private_dns_zone_group {\n    name                 = "vaultcore"\n    private_dns_zone_ids = [var.private_dns_zone_id]\n  }',
        "",
      ],
    });
    assert.deepEqual(vaultPrivateInProd(files), [
      `${VAULT}: azurerm_private_endpoint.vault: private_dns_zone_group: is unset: the endpoint's address must be published in privatelink.vaultcore.azure.net, or the vault's name resolves to its public address`,
    ]);
  });

  test("names a prod vault that allows by default", async () => {
    const files = await tree({
      [PROD]: ['network_default_action = "Deny"', 'network_default_action = "Allow"'],
    });
    assert.deepEqual(vaultPrivateInProd(files), [
      `${PROD}: module.keyvault: network_default_action: is "Allow", must be "Deny": prod's vault admits its private endpoint, trusted services and the listed ranges only`,
    ]);
  });

  test("names a prod zone that is not privatelink.vaultcore.azure.net, or not linked to the VNet", async () => {
    const problem = (value: string) =>
      `${PROD}: module.keyvault: private_dns_zone_id: is ${value}, must be the ID of a privatelink.vaultcore.azure.net zone linked to the VNet (a module output): pods would resolve the vault's public address`;
    const reference = `"\${module.networking.key_vault_private_dns_zone_id}"`;
    const wrongZone = await tree({
      [NETWORK]: ['"privatelink.vaultcore.azure.net"', '"vault.example.internal"'],
    });
    const unlinked = await tree({
      [NETWORK]: ["azurerm_private_dns_zone.key_vault.name", "azurerm_private_dns_zone.other.name"],
    });
    const literal = await tree({
      [PROD]: ["module.networking.key_vault_private_dns_zone_id", '"/subscriptions/x/privateDnsZones/z"'],
    });
    assert.deepEqual(vaultPrivateInProd(wrongZone), [problem(reference)]);
    assert.deepEqual(vaultPrivateInProd(unlinked), [problem(reference)]);
    assert.deepEqual(vaultPrivateInProd(literal), [problem('"/subscriptions/x/privateDnsZones/z"')]);
  });

  test("leaves dev's firewall to dev", async () => {
    const files = await parseTfFiles({
      ...TREE,
      [PROD]: "",
      "terraform/environments/dev/main.tf": (TREE[PROD] ?? "").replace('"Deny"', '"Allow"'),
    });
    assert.deepEqual(vaultPrivateInProd(files), []);
  });
});
