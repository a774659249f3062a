import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { loadTfTree, parseTfFiles, ROOT } from "./tf-tree.ts";
import {
  committedTfvarsNames,
  terraformWorkflowProblems,
  unsuppliedVariableProblems,
} from "./workflow-policy.ts";

const FILE = ".github/workflows/terraform.yml";
const load = async (): Promise<Record<string, unknown>> =>
  parse(await readFile(path.join(path.dirname(ROOT), FILE), "utf8"));

describe("the Terraform workflow", () => {
  test("names an init without -backend-config and a job without azure/login", async () => {
    const workflow = await load();
    const text = JSON.stringify(workflow)
      .replaceAll('-backend-config=\\"', '-reconfigure=\\"')
      .replace(/"uses":"azure\/login@[^"]*"/g, '"uses":"actions/cache@v4"');
    const problems = terraformWorkflowProblems(JSON.parse(text), FILE);
    assert.deepEqual(problems, [
      `${FILE}: jobs.plan: steps: "terraform init" without -backend-config`,
      `${FILE}: jobs.plan: steps: no azure/login step`,
      `${FILE}: jobs.apply: steps: no azure/login step`,
    ]);
  });

  test("plans on pull requests into the job summary and applies on main behind production, with OIDC", async () => {
    assert.deepEqual(terraformWorkflowProblems(await load(), FILE), []);
  });

  test("names each broken promise", async () => {
    const workflow = await load();
    const text = JSON.stringify(workflow)
      .replaceAll('"terraform/**"', '"src/**"')
      .replace('"ARM_USE_OIDC":"true"', '"ARM_USE_OIDC":"false"')
      .replaceAll("terraform validate -no-color", "true")
      .replaceAll("$GITHUB_STEP_SUMMARY", "plan.log")
      .replace("matrix.environment == 'prod' && 'production' || 'development'", "'staging'")
      .replace("github.ref == 'refs/heads/main'", "true")
      .replaceAll('"id-token":"write"', '"id-token":"read"')
      .replaceAll(`"client-id":"\${{ env.ARM_CLIENT_ID }}"`, `"creds":"\${{ secrets.AZURE_CREDENTIALS }}"`);
    assert.deepEqual(terraformWorkflowProblems(JSON.parse(text), FILE), [
      `${FILE}: on.pull_request.paths: must include "terraform/**"`,
      `${FILE}: env.ARM_USE_OIDC: must be "true"`,
      `${FILE}: jobs.plan: steps: no "terraform validate"`,
      `${FILE}: jobs.plan: steps: the plan is not posted to $GITHUB_STEP_SUMMARY`,
      `${FILE}: jobs.plan: permissions.id-token: must be "write" for OIDC`,
      `${FILE}: jobs.plan: azure/login.with.client-id: missing`,
      `${FILE}: jobs.plan: azure/login.with: passes a secret credential; OIDC needs none`,
      `${FILE}: jobs.apply: if: must apply only on pushes to main`,
      `${FILE}: jobs.apply: environment: must be the "production" environment, whose reviewers approve`,
      `${FILE}: jobs.apply: permissions.id-token: must be "write" for OIDC`,
      `${FILE}: jobs.apply: azure/login.with.client-id: missing`,
      `${FILE}: jobs.apply: azure/login.with: passes a secret credential; OIDC needs none`,
    ]);
  });

  test("names a plan that takes the state lock and jobs logging in as another identity", async () => {
    const text = JSON.stringify(await load())
      .replace(" -lock=false", "")
      .replace(`"ARM_CLIENT_ID":"\${{ vars.AZURE_TERRAFORM_APPLY_CLIENT_ID }}"`, '"TF_LOG":"info"')
      .replace("vars.AZURE_TERRAFORM_PLAN_CLIENT_ID", "vars.AZURE_TERRAFORM_APPLY_CLIENT_ID")
      .replace(`"client-id":"\${{ env.ARM_CLIENT_ID }}"`, `"client-id":"\${{ vars.AZURE_CLIENT_ID }}"`);
    assert.deepEqual(terraformWorkflowProblems(JSON.parse(text), FILE), [
      `${FILE}: jobs.plan: steps: "terraform plan" without -lock=false: the plan identity may only read the state`,
      `${FILE}: jobs.plan: env.ARM_CLIENT_ID: is "\${{ vars.AZURE_TERRAFORM_APPLY_CLIENT_ID }}", must be "\${{ vars.AZURE_TERRAFORM_PLAN_CLIENT_ID }}" (the read-only plan identity)`,
      `${FILE}: jobs.plan: azure/login.with.client-id: is "\${{ vars.AZURE_CLIENT_ID }}", must be "\${{ env.ARM_CLIENT_ID }}" (the job's identity)`,
      `${FILE}: jobs.apply: env.ARM_CLIENT_ID: is unset, must be "\${{ vars.AZURE_TERRAFORM_APPLY_CLIENT_ID }}" (the environment's apply identity)`,
    ]);
  });

  test("names missing triggers and jobs", () => {
    assert.deepEqual(terraformWorkflowProblems({ on: {}, jobs: {} }, FILE), [
      `${FILE}: on.pull_request.paths: must include "terraform/**"`,
      `${FILE}: on.push.branches: must include "main"`,
      `${FILE}: env.ARM_USE_OIDC: must be "true"`,
      `${FILE}: jobs: no job runs "terraform fmt -check"`,
      `${FILE}: jobs: no job runs "terraform plan" on pull requests`,
      `${FILE}: jobs: no job runs "terraform apply"`,
    ]);
    assert.deepEqual(terraformWorkflowProblems("name: x", FILE), [
      `${FILE}: (document): not a workflow mapping`,
    ]);
  });

  test("supplies every environment variable without a default (TF_VAR_*, -var or a committed tfvars)", async () => {
    const problems = unsuppliedVariableProblems(
      await load(),
      FILE,
      await loadTfTree(),
      await committedTfvarsNames(),
    );
    assert.deepEqual(problems, []);
  });

  test("names a required variable nobody supplies, and accepts -var and a committed tfvars", async () => {
    const files = await parseTfFiles({
      "terraform/environments/prod/variables.tf": `
variable "region" {
  type = string
}
variable "zones" {
  type = list(string)
}
variable "owner" {
  type = string
}
variable "sku" {
  type = string
}
variable "tags" {
  type    = map(string)
  default = {}
}`,
      "terraform/modules/aks/variables.tf": 'variable "node_count" {\n  type = number\n}',
    });
    const workflow = {
      env: { TF_VAR_region: "us" },
      jobs: { plan: { steps: [{ run: 'terraform plan -var="zones=[1]" -out=tfplan' }] } },
    };
    const tfvars = { "terraform/environments/prod": ["owner"] };
    assert.deepEqual(unsuppliedVariableProblems(workflow, FILE, files, tfvars), [
      `${FILE}: env: TF_VAR_sku: missing; terraform/environments/prod/variables.tf declares "sku" without a default and no committed tfvars sets it`,
    ]);
  });
});
