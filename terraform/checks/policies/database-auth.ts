// How PostgreSQL authenticates: Microsoft Entra ID tokens only, an Entra administrator, and no password
// anywhere Terraform keeps one (state, Key Vault). See terraform/README.md, "Security: who can do what".
import {
  blockBodies,
  dirOf,
  resourceAddress,
  resources,
  type TfBlock,
  type TfFile,
  terraformSettings,
  violation,
} from "../tf-tree.ts";
import { expectSet, expectValue, type Policy, show } from "./policy.ts";

const SERVER = "azurerm_postgresql_flexible_server";
const ENTRA_ADMINISTRATOR = "azurerm_postgresql_flexible_server_active_directory_administrator";
// Write-only arguments (never stored in state or plan) arrived in Terraform 1.11.
const WRITE_ONLY_FLOOR = [1, 11];

const ofType = (files: TfFile[], type: string) => resources(files).filter((r) => r.type === type);
const references = (value: unknown, address: string) =>
  new RegExp(`\\b${address.replace(".", "\\.")}\\b`).test(JSON.stringify(value ?? null));

/**
 * Every server accepts Entra ID tokens and refuses passwords (`authentication` as literals, so no
 * environment can switch it back), and an Entra administrator of the same module administers it.
 */
export const databaseEntraOnly: Policy = (files) =>
  ofType(files, SERVER).flatMap((server) => {
    const authentication = blockBodies(server.body.authentication)[0];
    const inAuthentication = (problems: string[], argument: string) =>
      problems.map((p) => p.replace(`: ${argument}:`, `: authentication.${argument}:`));
    const problems = authentication
      ? [
          ...inAuthentication(
            expectValue(
              server,
              authentication,
              "active_directory_auth_enabled",
              true,
              "logins use Entra ID tokens",
            ),
            "active_directory_auth_enabled",
          ),
          ...inAuthentication(
            expectValue(
              server,
              authentication,
              "password_auth_enabled",
              false,
              "no password can log in, in any environment",
            ),
            "password_auth_enabled",
          ),
          ...inAuthentication(
            expectSet(
              server,
              authentication,
              "tenant_id",
              "Entra ID needs the tenant whose tokens it accepts",
            ),
            "tenant_id",
          ),
        ]
      : [
          violation(
            server,
            resourceAddress(server),
            "authentication",
            "block missing: Entra ID authentication must be on and password authentication off",
          ),
        ];
    const administered = ofType(files, ENTRA_ADMINISTRATOR).some(
      (admin) =>
        dirOf(admin) === dirOf(server) && references(admin.body.server_name, resourceAddress(server)),
    );
    if (!administered) {
      problems.push(
        violation(
          server,
          resourceAddress(server),
          ENTRA_ADMINISTRATOR,
          "missing: an Entra administrator must map Entra identities to database roles",
        ),
      );
    }
    return problems;
  });

function requiredFloor(files: TfFile[], dir: string): number[] | undefined {
  const constraint = terraformSettings(files).find((s) => dirOf(s.file) === dir)?.body.required_version;
  const match = typeof constraint === "string" ? /^>=\s*(\d+)\.(\d+)/.exec(constraint) : null;
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

const atLeast = (version: number[], floor: number[]) =>
  (version[0] ?? 0) > (floor[0] ?? 0) ||
  ((version[0] ?? 0) === (floor[0] ?? 0) && (version[1] ?? 0) >= (floor[1] ?? 0));

/**
 * No server takes `administrator_password` (it would sit in state). A password kept for some reason must be
 * write-only: `administrator_password_wo` with its `_wo_version`, in a module requiring Terraform >= 1.11.
 */
export const noDatabasePassword: Policy = (files) =>
  ofType(files, SERVER).flatMap((server) => {
    const problems: string[] = [];
    const address = resourceAddress(server);
    if (server.body.administrator_password !== undefined) {
      problems.push(
        violation(
          server,
          address,
          "administrator_password",
          "is set: the password would be stored in state; log in with Entra ID (or, at most, administrator_password_wo)",
        ),
      );
    }
    if (server.body.administrator_password_wo !== undefined) {
      if (server.body.administrator_password_wo_version === undefined) {
        problems.push(
          violation(
            server,
            address,
            "administrator_password_wo_version",
            "is unset: a write-only password is only sent when its version changes",
          ),
        );
      }
      const floor = requiredFloor(files, dirOf(server));
      if (!floor || !atLeast(floor, WRITE_ONLY_FLOOR)) {
        problems.push(
          violation(
            server,
            address,
            "administrator_password_wo",
            `needs required_version ">= ${WRITE_ONLY_FLOOR.join(".")}" in its module (write-only arguments), found ${show(floor?.join("."))}`,
          ),
        );
      }
    }
    return problems;
  });

const PASSWORD_NAME = /password|passwd|pwd/i;
const DATABASE_NAME = /postgres|psql|database|(^|[-_])db([-_]|$)/i;

function holdsDatabasePassword(files: TfFile[], secret: TfBlock): boolean {
  const name = String(secret.body.name ?? "");
  if (PASSWORD_NAME.test(name) && DATABASE_NAME.test(name)) return true;
  const value = JSON.stringify([secret.body.value ?? null, secret.body.value_wo ?? null]);
  if (/\$\{[^}]*\b(administrator_password\w*)\b/.test(value)) return true;
  // A generated password in a module that also has a PostgreSQL server is that server's.
  return (
    /\$\{[^}]*\brandom_password\./.test(value) &&
    ofType(files, SERVER).some((s) => dirOf(s) === dirOf(secret))
  );
}

/** No Key Vault secret holds a database password: there is none to hold, and pods log in with tokens. */
export const noDatabasePasswordInVault: Policy = (files) =>
  ofType(files, "azurerm_key_vault_secret")
    .filter((secret) => holdsDatabasePassword(files, secret))
    .map((secret) =>
      violation(
        secret,
        resourceAddress(secret),
        "value",
        `(secret ${show(secret.body.name)}) holds a database password: PostgreSQL logins are Entra ID only, no password is kept`,
      ),
    );
