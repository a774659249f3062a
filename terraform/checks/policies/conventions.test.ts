import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import { modulesTakeEnvironment, namesNotHardCoded, variablesTypedAndDescribed } from "./conventions.ts";

describe("variablesTypedAndDescribed", () => {
  test("names an untyped and an undescribed variable", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/variables.tf": `
variable "untyped" {
  description = "d"
}
variable "undescribed" {
  type        = string
  description = " "
}
variable "fine" {
  type        = number
  description = "d"
}`,
    });
    assert.deepEqual(variablesTypedAndDescribed(files), [
      "terraform/modules/m/variables.tf: variable.undescribed: description: missing: every variable is described",
      "terraform/modules/m/variables.tf: variable.untyped: type: missing: every variable is typed",
    ]);
  });
});

describe("namesNotHardCoded", () => {
  test("names literal names of resource-group resources, and exempts children and derived names", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/main.tf": `
resource "azurerm_kubernetes_cluster" "literal" {
  name     = "aks-cloudhunt-prod"
  location = var.location
}
resource "azurerm_container_registry" "interpolated_literal" {
  name                = "\${"cloudhuntdev"}"
  resource_group_name = var.rg
}
resource "azurerm_subnet" "derived" {
  name                = "snet-\${local.suffix}"
  resource_group_name = var.rg
}
resource "azurerm_postgresql_flexible_server_database" "child" {
  name      = "cloudjobhunt"
  server_id = var.server
}
resource "azurerm_postgresql_flexible_server_active_directory_administrator" "unnamed" {
  server_name         = var.server_name
  resource_group_name = var.rg
}
resource "azurerm_private_dns_zone" "private_link" {
  name                = "privatelink.vaultcore.azure.net"
  resource_group_name = var.rg
}
resource "azurerm_private_dns_zone" "literal_zone" {
  name                = "cloudhunt.internal"
  resource_group_name = var.rg
}`,
    });
    assert.deepEqual(namesNotHardCoded(files), [
      // hcl2json folds a literal-only interpolation into the literal, so it is caught too.
      'terraform/modules/m/main.tf: azurerm_container_registry.interpolated_literal: name: is "cloudhuntdev", must be built from var./local. (no hard-coded names)',
      'terraform/modules/m/main.tf: azurerm_kubernetes_cluster.literal: name: is "aks-cloudhunt-prod", must be built from var./local. (no hard-coded names)',
      'terraform/modules/m/main.tf: azurerm_private_dns_zone.literal_zone: name: is "cloudhunt.internal", must be built from var./local. (no hard-coded names)',
    ]);
  });
});

describe("modulesTakeEnvironment", () => {
  test("names a module without an environment variable", async () => {
    const files = await parseTfFiles({
      "terraform/modules/a/variables.tf": 'variable "environment" {\n  type = string\n}\n',
      "terraform/modules/b/variables.tf": 'variable "project" {\n  type = string\n}\n',
      "terraform/environments/dev/main.tf": "locals {}\n",
    });
    assert.deepEqual(modulesTakeEnvironment(files), [
      "terraform/modules/b/variables.tf: variable.environment: (declaration): missing: names and tags derive from it",
    ]);
  });
});
