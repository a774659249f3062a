import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  callsOfModule,
  dirOf,
  environmentOf,
  loadTfTree,
  moduleInput,
  parseTfFiles,
  parseTfText,
  resources,
  variables,
} from "./tf-tree.ts";

const MODULES = ["acr", "aks", "database", "identity", "keyvault", "monitoring", "networking"];
const MODULE_FILES = ["main.tf", "outputs.tf", "variables.tf", "versions.tf"];

describe("the terraform/ tree", () => {
  test("every .tf file parses with hcl2json, and each module and environment has its files", async () => {
    const files = await loadTfTree();
    const paths = new Set(files.map((f) => f.path));
    for (const module of MODULES) {
      for (const name of MODULE_FILES) {
        assert.ok(
          paths.has(`terraform/modules/${module}/${name}`),
          `terraform/modules/${module}/${name} is missing`,
        );
      }
    }
    for (const environment of ["dev", "prod"]) {
      for (const name of ["main.tf", "outputs.tf", "variables.tf", "versions.tf"]) {
        assert.ok(
          paths.has(`terraform/environments/${environment}/${name}`),
          `${environment}/${name} is missing`,
        );
      }
      const calls = files.filter((f) => dirOf(f) === `terraform/environments/${environment}`);
      const composed = MODULES.filter((m) => callsOfModule(calls, m).length === 1);
      assert.deepEqual(composed, MODULES, `environments/${environment} composes every module once`);
    }
  });

  test("a syntax error names the file, line and column", async () => {
    await assert.rejects(
      parseTfText("terraform/modules/x/main.tf", 'resource "a" "b" {\n'),
      (error: Error) => {
        assert.match(
          error.message,
          /terraform\/modules\/x\/main\.tf:1,\d+-\d+: Unclosed configuration block/,
        );
        return true;
      },
    );
  });
});

describe("accessors", () => {
  test("read labelled blocks, environments and module inputs with their defaults", async () => {
    const files = await parseTfFiles({
      "terraform/modules/db/variables.tf": 'variable "ha" {\n  type = bool\n  default = false\n}\n',
      "terraform/environments/prod/main.tf":
        'module "db" {\n  source = "../../modules/db"\n}\nresource "azurerm_resource_group" "rg" {\n  name = "x"\n}\n',
    });
    const [call] = callsOfModule(files, "db");
    assert.ok(call);
    assert.equal(environmentOf(dirOf(call)), "prod");
    assert.equal(environmentOf("terraform/modules/db"), undefined);
    assert.equal(moduleInput(files, call, "ha"), false);
    assert.deepEqual(
      resources(files).map((r) => `${r.file} ${r.type}.${r.name}`),
      ["terraform/environments/prod/main.tf azurerm_resource_group.rg"],
    );
    assert.deepEqual(
      variables(files).map((v) => v.body.type),
      [`\${bool}`],
    );
  });
});
