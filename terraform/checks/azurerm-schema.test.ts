// Loads the 85 MB assembly once for the whole file: every test below shares `schema`.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { loadAzurermSchema, type ProviderSchema } from "./azurerm-schema.ts";
import { checkAgainstSchema, checkAttributeReferences, checkTags } from "./schema-conformance.ts";
import { loadTfTree, parseTfFiles, type TfFile } from "./tf-tree.ts";

let schema: ProviderSchema;
let tree: TfFile[];
before(async () => {
  [schema, tree] = await Promise.all([loadAzurermSchema(), loadTfTree()]);
});

const FILE = "terraform/modules/x/main.tf";
const one = (text: string) => parseTfFiles({ [FILE]: text });

describe("the azurerm schema index", () => {
  test("holds resources, data sources and the provider, with snake_case names and nested blocks", () => {
    const cluster = schema.resources.get("azurerm_kubernetes_cluster");
    assert.ok(cluster, "azurerm_kubernetes_cluster is indexed");
    assert.ok(cluster.arguments.has("local_account_disabled"));
    assert.ok(cluster.blocks.get("default_node_pool")?.arguments.has("auto_scaling_enabled"));
    assert.ok(cluster.blocks.get("oms_agent")?.arguments.has("msi_auth_for_monitoring_enabled"));
    assert.ok(schema.dataSources.has("azurerm_client_config"));
    assert.ok(
      schema.provider.blocks
        .get("features")
        ?.blocks.get("key_vault")
        ?.arguments.has("purge_soft_delete_on_destroy"),
    );
    // 4.x removed the 3.x spelling: the index must not accept it.
    assert.ok(!cluster.blocks.get("default_node_pool")?.arguments.has("enable_auto_scaling"));
  });
});

describe("checkAgainstSchema", () => {
  test("every resource, data source and provider block of terraform/ uses only schema arguments", () => {
    assert.deepEqual(checkAgainstSchema(tree, schema), []);
  });

  test("names unknown and missing required arguments, nested ones and dynamic blocks by file, resource and path", async () => {
    const files = await one(`
resource "azurerm_kubernetes_cluster" "this" {
  name                = "x"
  location            = var.location
  resource_group_name = var.rg
  sku                 = "Free"
  count         = 1
  default_node_pool {
    name                = "system"
    enable_auto_scaling = true
  }
  dynamic "not_a_block" {
    for_each = []
    content {}
  }
  dynamic "oms_agent" {
    for_each = []
    iterator = agent
    content {
      workspace = "w"
    }
  }
}`);
    assert.deepEqual(checkAgainstSchema(files, schema), [
      `${FILE}: azurerm_kubernetes_cluster.this: default_node_pool.enable_auto_scaling: not an argument or block of azurerm_kubernetes_cluster in the provider schema`,
      `${FILE}: azurerm_kubernetes_cluster.this: dynamic "not_a_block": not an argument or block of azurerm_kubernetes_cluster in the provider schema`,
      `${FILE}: azurerm_kubernetes_cluster.this: oms_agent.log_analytics_workspace_id: required by the schema of azurerm_kubernetes_cluster but not set`,
      `${FILE}: azurerm_kubernetes_cluster.this: oms_agent.workspace: not an argument or block of azurerm_kubernetes_cluster in the provider schema`,
      `${FILE}: azurerm_kubernetes_cluster.this: sku: not an argument or block of azurerm_kubernetes_cluster in the provider schema`,
    ]);
  });

  test("names unknown types, data source arguments, random_password arguments and provider settings", async () => {
    const files = await one(`
resource "azurerm_kubernetes_clusters" "typo" {}
data "azurerm_client_config" "current" {
  tenant = "t"
}
resource "random_password" "p" {
  length = 16
  digits = true
}
provider "azurerm" {
  features {
    key_vault {
      purge_on_destroy = false
    }
  }
}
provider "aws" {}`);
    // hcl2json sorts keys, so problems come in alphabetical order within each kind of block.
    assert.deepEqual(checkAgainstSchema(files, schema), [
      `${FILE}: azurerm_kubernetes_clusters.typo: (type): azurerm_kubernetes_clusters is not a resource type the checks know`,
      `${FILE}: random_password.p: digits: not an argument or block of random_password in the provider schema`,
      `${FILE}: data.azurerm_client_config.current: tenant: not an argument or block of azurerm_client_config in the provider schema`,
      `${FILE}: provider.aws: (type): only the azurerm provider is configured here`,
      `${FILE}: provider.azurerm: features.key_vault.purge_on_destroy: not an argument or block of azurerm in the provider schema`,
    ]);
  });
});

describe("literal types", () => {
  test("names an argument a dynamic block does not take", async () => {
    const files = await one(`
resource "azurerm_monitor_action_group" "ag" {
  name                = "ag"
  resource_group_name = var.rg
  short_name          = "ag"
  dynamic "email_receiver" {
    for_each = var.receivers
    foo      = 1
    content {
      name          = email_receiver.key
      email_address = email_receiver.value
    }
  }
}`);
    assert.deepEqual(checkAgainstSchema(files, schema), [
      `${FILE}: azurerm_monitor_action_group.ag: dynamic "email_receiver".foo: not valid in a dynamic block`,
    ]);
  });

  test("names literals Terraform could not convert to the schema's type, and accepts those it converts", async () => {
    const files = await one(`
resource "azurerm_kubernetes_cluster_node_pool" "user" {
  name                  = "user"
  kubernetes_cluster_id = var.cluster
  vm_size               = ["Standard_D4ds_v5"]
  zones                 = "1"
  max_count             = "many"
  max_pods              = "30"
  fips_enabled          = "yes"
  ultra_ssd_enabled     = "false"
  os_disk_size_gb       = true
  node_labels           = ["a"]
  os_sku                = 2
  min_count             = var.min
}`);
    const at = `${FILE}: azurerm_kubernetes_cluster_node_pool.user`;
    assert.deepEqual(checkAgainstSchema(files, schema), [
      `${at}: fips_enabled: is "yes", the schema expects a bool`,
      `${at}: max_count: is "many", the schema expects a number`,
      `${at}: node_labels: is ["a"], the schema expects a map`,
      `${at}: os_disk_size_gb: is true, the schema expects a number`,
      `${at}: vm_size: is ["Standard_D4ds_v5"], the schema expects a string`,
      `${at}: zones: is "1", the schema expects a list`,
    ]);
  });
});

describe("checkAttributeReferences", () => {
  test("every attribute read in terraform/ exists on its resource or data source", () => {
    assert.deepEqual(checkAttributeReferences(tree, schema), []);
  });

  test("names a read of an attribute the type does not have, in resources, outputs and locals", async () => {
    const files = await one(`
locals {
  issuer = azurerm_kubernetes_cluster.this.oidc_issuer
}
resource "azurerm_role_assignment" "pull" {
  principal_id = azurerm_kubernetes_cluster.this.kubelet_identity[0].object_id
  scope        = data.azurerm_client_config.current.tenant
}
output "password" {
  description = "d"
  value       = random_password.p.value
}`);
    assert.deepEqual(checkAttributeReferences(files, schema), [
      `${FILE}: azurerm_role_assignment.pull: scope: data.azurerm_client_config.current.tenant reads "tenant", which azurerm_client_config does not have`,
      `${FILE}: output.password: value: random_password.p.value reads "value", which random_password does not have`,
      `${FILE}: locals: issuer: azurerm_kubernetes_cluster.this.oidc_issuer reads "oidc_issuer", which azurerm_kubernetes_cluster does not have`,
    ]);
  });
});

describe("checkTags", () => {
  test("every taggable resource of terraform/ carries the module's tags", () => {
    assert.deepEqual(checkTags(tree, schema), []);
  });

  test("names a taggable resource without tags, with literal tags, and locals that drop var.tags", async () => {
    const files = await one(`
locals {
  tags = { team = "a" }
}
resource "azurerm_resource_group" "untagged" {
  name = "x"
}
resource "azurerm_virtual_network" "literal" {
  name = "x"
  tags = { a = "b" }
}
resource "azurerm_subnet" "untaggable" {
  name = "x"
}
resource "azurerm_key_vault" "ok" {
  tags = merge(local.tags, { extra = "1" })
}`);
    assert.deepEqual(checkTags(files, schema), [
      `${FILE}: azurerm_resource_group.untagged: tags: missing; every taggable resource carries the module's tags`,
      `${FILE}: azurerm_virtual_network.literal: tags: {"a":"b"} must derive from local.tags or var.tags`,
      "terraform/modules/x: locals: tags: must merge var.tags so the caller's tags reach every resource",
    ]);
  });
});
