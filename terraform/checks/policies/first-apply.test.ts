import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import {
  ingressReachesTheFrontend,
  logAlertsSurviveANewWorkspace,
  secretWritesWaitForRbac,
} from "./first-apply.ts";

const FILE = "terraform/modules/x/main.tf";
const one = (text: string) => parseTfFiles({ [FILE]: text });

const nsg = (destination: string) => `
resource "azurerm_network_security_group" "nodes" {
  security_rule {
    name                       = "web"
    direction                  = "Inbound"
    access                     = "Allow"
    destination_address_prefix = ${destination}
    destination_port_ranges    = ["80", "443"]
  }
  security_rule {
    name                       = "https-between-subnets"
    direction                  = "Inbound"
    access                     = "Allow"
    source_address_prefix      = var.aks_nodes_subnet_cidr
    destination_address_prefix = var.private_endpoints_subnet_cidr
    destination_port_range     = "443"
  }
  security_rule {
    name                       = "ssh"
    direction                  = "Inbound"
    access                     = "Allow"
    destination_address_prefix = var.subnet_cidr
    destination_port_range     = "22"
  }
}`;

describe("ingressReachesTheFrontend", () => {
  test("names a web rule whose destination is the node subnet", async () => {
    assert.deepEqual(ingressReachesTheFrontend(await one(nsg("var.aks_nodes_subnet_cidr"))), [
      `${FILE}: azurerm_network_security_group.nodes: security_rule.web.destination_address_prefix: is "\${var.aks_nodes_subnet_cidr}": the load balancer keeps the frontend public IP as the destination, so this never matches; use "*" or the ingress's azurerm_public_ip`,
    ]);
  });

  test('passes "*" and a public IP address, and leaves other ports and rules within the VNet alone', async () => {
    assert.deepEqual(ingressReachesTheFrontend(await one(nsg('"*"'))), []);
    assert.deepEqual(ingressReachesTheFrontend(await one(nsg("azurerm_public_ip.ingress.ip_address"))), []);
  });
});

const alert = (extra: string) => `
resource "azurerm_monitor_scheduled_query_rules_alert_v2" "logs" {
  ${extra}
}`;

describe("logAlertsSurviveANewWorkspace", () => {
  test("names a validated query created before the cluster", async () => {
    const at = `${FILE}: azurerm_monitor_scheduled_query_rules_alert_v2.logs`;
    assert.deepEqual(logAlertsSurviveANewWorkspace(await one(alert("severity = 1"))), [
      `${at}: skip_query_validation: is unset, must be true: Container Insights tables do not exist on a new workspace`,
      `${at}: depends_on: is unset, must name the cluster: the alert is created once the cluster sends data`,
    ]);
    assert.deepEqual(
      logAlertsSurviveANewWorkspace(
        await one(
          alert("skip_query_validation = false\n  depends_on = [azurerm_log_analytics_workspace.this]"),
        ),
      ),
      [
        `${at}: skip_query_validation: is false, must be true: Container Insights tables do not exist on a new workspace`,
        `${at}: depends_on: is ["\${azurerm_log_analytics_workspace.this}"], must name the cluster: the alert is created once the cluster sends data`,
      ],
    );
  });

  test("passes a rule that skips validation and waits for the cluster", async () => {
    assert.deepEqual(
      logAlertsSurviveANewWorkspace(
        await one(alert("skip_query_validation = true\n  depends_on = [var.aks_cluster_id]")),
      ),
      [],
    );
  });
});

const VAULT = `
resource "azurerm_role_assignment" "officer" {
  role_definition_name = "Key Vault Secrets Officer"
}
resource "time_sleep" "propagation" {
  create_duration = "60s"
  depends_on      = [azurerm_role_assignment.officer]
}
output "id" {
  value      = azurerm_key_vault.this.id
  depends_on = [time_sleep.propagation]
}
output "name" {
  value = azurerm_key_vault.this.name
}`;

describe("secretWritesWaitForRbac", () => {
  test("passes a wait after the assignment that the vault's ID output follows", async () => {
    assert.deepEqual(secretWritesWaitForRbac(await one(VAULT)), []);
  });

  test("names an assignment nothing waits for", async () => {
    const files = await one(VAULT.replace("depends_on      = [azurerm_role_assignment.officer]", ""));
    assert.deepEqual(secretWritesWaitForRbac(files), [
      `${FILE}: azurerm_role_assignment.officer: (propagation): no time_sleep waits for this assignment: a secret written right after it gets 403`,
    ]);
  });

  test("names a short wait, an output and a secret that do not follow it", async () => {
    const files = await one(
      VAULT.replace('"60s"', '"5s"')
        .replace("depends_on = [time_sleep.propagation]", "depends_on = [azurerm_role_assignment.officer]")
        .concat(
          '\nresource "azurerm_key_vault_secret" "s" {\n  key_vault_id = azurerm_key_vault.this.id\n}\n',
        ),
    );
    assert.deepEqual(secretWritesWaitForRbac(files), [
      `${FILE}: time_sleep.propagation: create_duration: is "5s", must be at least "30s"`,
      `${FILE}: output.id: depends_on: must name time_sleep.propagation: callers write secrets through this ID`,
      `${FILE}: azurerm_key_vault_secret.s: depends_on: must name time_sleep.propagation`,
    ]);
  });
});
