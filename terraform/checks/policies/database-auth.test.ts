import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseTfFiles } from "../tf-tree.ts";
import { databaseEntraOnly, noDatabasePassword, noDatabasePasswordInVault } from "./database-auth.ts";

const FILE = "terraform/modules/x/main.tf";
const VERSIONS = "terraform/modules/x/versions.tf";
const one = (text: string) => parseTfFiles({ [FILE]: text });
const SERVER = `${FILE}: azurerm_postgresql_flexible_server.db`;

const ENTRA_ONLY = `
resource "azurerm_postgresql_flexible_server" "db" {
  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = false
    tenant_id                     = data.azurerm_client_config.current.tenant_id
  }
}
resource "azurerm_postgresql_flexible_server_active_directory_administrator" "db" {
  server_name = azurerm_postgresql_flexible_server.db.name
}`;

describe("databaseEntraOnly", () => {
  test("passes Entra-only authentication with an administrator of the server", async () => {
    assert.deepEqual(databaseEntraOnly(await one(ENTRA_ONLY)), []);
  });

  test("names password authentication left on, Entra off, no tenant, and no administrator", async () => {
    const files = await one(`
resource "azurerm_postgresql_flexible_server" "db" {
  authentication {
    active_directory_auth_enabled = var.entra
    password_auth_enabled         = true
  }
}
resource "azurerm_postgresql_flexible_server_active_directory_administrator" "other" {
  server_name = azurerm_postgresql_flexible_server.db_other.name
}`);
    assert.deepEqual(databaseEntraOnly(files), [
      `${SERVER}: authentication.active_directory_auth_enabled: is "\${var.entra}", must be true: logins use Entra ID tokens`,
      `${SERVER}: authentication.password_auth_enabled: is true, must be false: no password can log in, in any environment`,
      `${SERVER}: authentication.tenant_id: is unset: Entra ID needs the tenant whose tokens it accepts`,
      `${SERVER}: azurerm_postgresql_flexible_server_active_directory_administrator: missing: an Entra administrator must map Entra identities to database roles`,
    ]);
  });

  test("names a server without an authentication block (Azure's default is password only)", async () => {
    const files = await one(`
resource "azurerm_postgresql_flexible_server" "db" {
  administrator_login = "admin"
}`);
    assert.deepEqual(databaseEntraOnly(files), [
      `${SERVER}: authentication: block missing: Entra ID authentication must be on and password authentication off`,
      `${SERVER}: azurerm_postgresql_flexible_server_active_directory_administrator: missing: an Entra administrator must map Entra identities to database roles`,
    ]);
  });
});

describe("noDatabasePassword", () => {
  test("names an administrator_password, which Terraform keeps in state", async () => {
    const files = await one(`
resource "azurerm_postgresql_flexible_server" "db" {
  administrator_password = random_password.admin.result
}`);
    assert.deepEqual(noDatabasePassword(files), [
      `${SERVER}: administrator_password: is set: the password would be stored in state; log in with Entra ID (or, at most, administrator_password_wo)`,
    ]);
  });

  test("names a write-only password without its version or under Terraform 1.11", async () => {
    const files = await parseTfFiles({
      [FILE]: `
resource "azurerm_postgresql_flexible_server" "db" {
  administrator_password_wo = ephemeral.random_password.admin.result
}`,
      [VERSIONS]: `
terraform {
  required_version = ">= 1.9"
}`,
    });
    assert.deepEqual(noDatabasePassword(files), [
      `${SERVER}: administrator_password_wo_version: is unset: a write-only password is only sent when its version changes`,
      `${SERVER}: administrator_password_wo: needs required_version ">= 1.11" in its module (write-only arguments), found "1.9"`,
    ]);
    const unpinned = await one(`
resource "azurerm_postgresql_flexible_server" "db" {
  administrator_password_wo         = ephemeral.random_password.admin.result
  administrator_password_wo_version = 1
}`);
    assert.deepEqual(noDatabasePassword(unpinned), [
      `${SERVER}: administrator_password_wo: needs required_version ">= 1.11" in its module (write-only arguments), found unset`,
    ]);
  });

  test("passes no password, or a versioned write-only one on Terraform >= 1.11", async () => {
    assert.deepEqual(noDatabasePassword(await one(ENTRA_ONLY)), []);
    const files = await parseTfFiles({
      [FILE]: `
resource "azurerm_postgresql_flexible_server" "db" {
  administrator_password_wo         = ephemeral.random_password.admin.result
  administrator_password_wo_version = 1
}`,
      [VERSIONS]: `
terraform {
  required_version = ">= 1.11"
}`,
    });
    assert.deepEqual(noDatabasePassword(files), []);
  });
});

describe("noDatabasePasswordInVault", () => {
  test("names secrets named for a database password or holding a server's generated password", async () => {
    const files = await one(`
resource "azurerm_postgresql_flexible_server" "db" {
  administrator_password = random_password.admin.result
}
resource "azurerm_key_vault_secret" "named" {
  name  = "postgresql-administrator-password"
  value = var.anything
}
resource "azurerm_key_vault_secret" "generated" {
  name  = "admin"
  value = random_password.admin.result
}
resource "azurerm_key_vault_secret" "copied" {
  name  = "copy"
  value = azurerm_postgresql_flexible_server.db.administrator_password
}
resource "azurerm_key_vault_secret" "api_token" {
  name  = "linkedin-token"
  value = var.linkedin_token
}`);
    const why = "holds a database password: PostgreSQL logins are Entra ID only, no password is kept";
    assert.deepEqual(noDatabasePasswordInVault(files), [
      `${FILE}: azurerm_key_vault_secret.copied: value: (secret "copy") ${why}`,
      `${FILE}: azurerm_key_vault_secret.generated: value: (secret "admin") ${why}`,
      `${FILE}: azurerm_key_vault_secret.named: value: (secret "postgresql-administrator-password") ${why}`,
    ]);
  });

  test("passes other secrets, and generated passwords in modules without a server", async () => {
    const files = await one(`
resource "azurerm_key_vault_secret" "api_token" {
  name  = "linkedin-token"
  value = random_password.token.result
}`);
    assert.deepEqual(noDatabasePasswordInVault(files), []);
  });
});
