// The Key Vault's network: a firewall that lets trusted Azure services through, a private endpoint on the
// vault's "vault" subresource registered in a private DNS zone, and in prod a firewall that denies by
// default, the endpoint's zone being privatelink.vaultcore.azure.net linked to the VNet.
import {
  blockBodies,
  callsOfModule,
  dirOf,
  environmentOf,
  moduleCalls,
  moduleDirOf,
  moduleInput,
  outputs,
  resourceAddress,
  type TfBlock,
  type TfFile,
  violation,
} from "../tf-tree.ts";
import { ofType, type Policy, show } from "./policy.ts";

const VAULT_ZONE = "privatelink.vaultcore.azure.net";

function vaultProblems(files: TfFile[], vault: TfBlock): string[] {
  const at = (argument: string, problem: string) =>
    violation(vault, resourceAddress(vault), argument, problem);
  const problems: string[] = [];
  const acls = blockBodies(vault.body.network_acls)[0];
  if (acls?.bypass !== "AzureServices")
    problems.push(
      at(
        "network_acls.bypass",
        `is ${show(acls?.bypass)}, must be "AzureServices": trusted Azure services (diagnostics, backups) still reach the vault`,
      ),
    );
  const endpoints = ofType(files, "azurerm_private_endpoint").filter(
    (endpoint) =>
      dirOf(endpoint) === dirOf(vault) &&
      blockBodies(endpoint.body.private_service_connection).some(
        (connection) =>
          connection.private_connection_resource_id === `\${azurerm_key_vault.${vault.name}.id}` &&
          JSON.stringify(connection.subresource_names) === '["vault"]',
      ),
  );
  if (endpoints.length === 0)
    problems.push(
      at(
        "(private endpoint)",
        'no azurerm_private_endpoint connects to its "vault" subresource: the cluster would read secrets over the internet',
      ),
    );
  for (const endpoint of endpoints) {
    const group = blockBodies(endpoint.body.private_dns_zone_group)[0];
    if (!Array.isArray(group?.private_dns_zone_ids) || group.private_dns_zone_ids.length === 0)
      problems.push(
        violation(
          endpoint,
          resourceAddress(endpoint),
          "private_dns_zone_group",
          `is unset: the endpoint's address must be published in ${VAULT_ZONE}, or the vault's name resolves to its public address`,
        ),
      );
  }
  return problems;
}

/** `${module.<call>.<output>}` => the module's output block, if the reference is one. */
function outputBehind(files: TfFile[], from: TfBlock, value: unknown): TfBlock | undefined {
  const match = /^\$\{module\.(\w+)\.(\w+)\}$/.exec(String(value));
  const call = moduleCalls(files).find((c) => dirOf(c) === dirOf(from) && c.name === match?.[1]);
  return call && outputs(files).find((o) => dirOf(o) === moduleDirOf(call) && o.name === match?.[2]);
}

/** Whether `output` gives the ID of a privatelink.vaultcore.azure.net zone with a virtual network link. */
function linkedVaultZone(files: TfFile[], output: TfBlock | undefined): boolean {
  const zoneName = /^\$\{azurerm_private_dns_zone\.(\w+)\.id\}$/.exec(String(output?.body.value))?.[1];
  if (!output || !zoneName) return false;
  const zone = ofType(files, "azurerm_private_dns_zone").find(
    (z) => dirOf(z) === dirOf(output) && z.name === zoneName,
  );
  return (
    zone?.body.name === VAULT_ZONE &&
    ofType(files, "azurerm_private_dns_zone_virtual_network_link").some(
      (link) =>
        dirOf(link) === dirOf(output) &&
        link.body.private_dns_zone_name === `\${azurerm_private_dns_zone.${zoneName}.name}` &&
        typeof link.body.virtual_network_id === "string",
    )
  );
}

function prodCallProblems(files: TfFile[], call: TfBlock): string[] {
  const at = (argument: string, problem: string) => violation(call, `module.${call.name}`, argument, problem);
  const problems: string[] = [];
  const action = moduleInput(files, call, "network_default_action");
  if (action !== "Deny")
    problems.push(
      at(
        "network_default_action",
        `is ${show(action)}, must be "Deny": prod's vault admits its private endpoint, trusted services and the listed ranges only`,
      ),
    );
  if (!linkedVaultZone(files, outputBehind(files, call, call.body.private_dns_zone_id)))
    problems.push(
      at(
        "private_dns_zone_id",
        `is ${show(call.body.private_dns_zone_id)}, must be the ID of a ${VAULT_ZONE} zone linked to the VNet (a module output): pods would resolve the vault's public address`,
      ),
    );
  return problems;
}

/**
 * Every vault lets trusted Azure services through its firewall and has a private endpoint registered in a
 * private DNS zone; prod's vault denies by default, its endpoint's zone being privatelink.vaultcore.azure.net
 * linked to the VNet.
 */
export const vaultPrivateInProd: Policy = (files) => [
  ...ofType(files, "azurerm_key_vault").flatMap((vault) => vaultProblems(files, vault)),
  ...callsOfModule(files, "keyvault")
    .filter((call) => environmentOf(dirOf(call)) === "prod")
    .flatMap((call) => prodCallProblems(files, call)),
];
