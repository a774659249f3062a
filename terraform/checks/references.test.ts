import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkReferences, interpolations } from "./references.ts";
import { loadTfTree, parseTfFiles } from "./tf-tree.ts";

describe("checkReferences", () => {
  test("every reference and module input of terraform/ resolves", async () => {
    assert.deepEqual(checkReferences(await loadTfTree()), []);
  });

  test("passes references that resolve: variables, locals, resources, data sources, module outputs", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/main.tf": `
variable "name" {
  type = string
}
locals {
  suffix = "\${var.name}-x"
}
data "azurerm_client_config" "current" {}
resource "azurerm_resource_group" "rg" {
  name = "rg-\${local.suffix}-\${data.azurerm_client_config.current.tenant_id}"
}
output "id" {
  value = azurerm_resource_group.rg.id
}`,
      "terraform/environments/dev/main.tf": `
module "m" {
  source = "../../modules/m"
  name   = "a"
}
output "id" {
  value = module.m.id
}`,
    });
    assert.deepEqual(checkReferences(files), []);
  });

  test("names unresolved references and mismatched module inputs by file, block and argument", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/main.tf": `
variable "name" {
  type = string
}
variable "size" {
  type    = number
  default = 1
}
resource "azurerm_resource_group" "rg" {
  name     = "rg-\${var.nmae}-\${local.missing}"
  location = data.azurerm_client_config.current.tenant_id
}
output "id" {
  value = azurerm_resource_group.other.id
}`,
      "terraform/environments/dev/main.tf": `
module "m" {
  source = "../../modules/m"
  sise   = 2
}
module "gone" {
  source = "../../modules/gone"
}
output "id" {
  value = module.m.name
}
output "other" {
  value = module.n.id
}`,
    });
    const module = "terraform/modules/m/main.tf";
    const env = "terraform/environments/dev/main.tf";
    assert.deepEqual(checkReferences(files), [
      `${module}: azurerm_resource_group.rg: location: data.azurerm_client_config.current does not resolve (no data source azurerm_client_config.current in terraform/modules/m)`,
      `${module}: azurerm_resource_group.rg: name: var.nmae does not resolve (no variable "nmae" in terraform/modules/m)`,
      `${module}: azurerm_resource_group.rg: name: local.missing does not resolve (no local "missing" in terraform/modules/m)`,
      `${module}: output.id: value: azurerm_resource_group.other does not resolve (no resource azurerm_resource_group.other in terraform/modules/m)`,
      `${env}: output.id: value: module.m.name does not resolve (module "m" has no output "name")`,
      `${env}: output.other: value: module.n.id does not resolve (no module "n" in terraform/environments/dev)`,
      `${env}: module.gone: source: ../../modules/gone has no .tf files`,
      `${env}: module.m: sise: not a variable of terraform/modules/m`,
      `${env}: module.m: name: required by terraform/modules/m (no default) but not passed`,
    ]);
  });
});

describe("checkReferences and literal types", () => {
  test("names module inputs and variable defaults whose literal does not fit the declared type", async () => {
    const files = await parseTfFiles({
      "terraform/modules/m/variables.tf": `
variable "ha" {
  type    = bool
  default = "maybe"
}
variable "zones" {
  type    = list(string)
  default = ["1"]
}
variable "pool" {
  type = object({ min_count = number })
}`,
      "terraform/environments/dev/main.tf": `
module "m" {
  source = "../../modules/m"
  ha     = 1
  zones  = "1"
  pool   = { min_count = 3 }
}`,
    });
    assert.deepEqual(checkReferences(files), [
      "terraform/environments/dev/main.tf: module.m: ha: is 1, but terraform/modules/m declares a bool",
      'terraform/environments/dev/main.tf: module.m: zones: is "1", but terraform/modules/m declares a list',
      'terraform/modules/m/variables.tf: variable.ha: default: is "maybe", but the type is a bool',
    ]);
  });
});

describe("interpolations", () => {
  test("returns each interpolation with its nested braces", () => {
    assert.deepEqual(interpolations(`a-\${var.x}-\${merge(var.tags, { a = "b" })}`), [
      "var.x",
      'merge(var.tags, { a = "b" })',
    ]);
    assert.deepEqual(interpolations("no interpolation"), []);
  });
});
