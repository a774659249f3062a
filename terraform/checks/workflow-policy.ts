// The Terraform workflow's promises (terraform/README.md): fmt and plan on pull requests with the plan in the job
// summary, apply on main behind the production environment, OIDC login only. actionlint checks syntax
// and expressions; this checks intent.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { execFileAsync } from "../../local/common/exec-file.ts";
import { dirOf, environmentOf, isRecord, parseTfText, ROOT, type TfFile, variables } from "./tf-tree.ts";

type Job = Record<string, unknown>;

const steps = (job: Job) => (Array.isArray(job.steps) ? job.steps.filter(isRecord) : []);
const runs = (job: Job) => steps(job).map((step) => (typeof step.run === "string" ? step.run : ""));
const uses = (job: Job, action: string) =>
  steps(job).filter((step) => typeof step.uses === "string" && step.uses.startsWith(`${action}@`));
const runsCommand = (job: Job, pattern: RegExp) => runs(job).some((run) => pattern.test(run));

// Pull requests plan as the read-only plan identity, applies as their environment's apply identity (a
// variable of the GitHub environment): terraform/bootstrap, terraform/README.md "Security".
const githubExpression = (expression: string) => `\${{ ${expression} }}`;
const PLAN_CLIENT_ID = githubExpression("vars.AZURE_TERRAFORM_PLAN_CLIENT_ID");
const APPLY_CLIENT_ID = githubExpression("vars.AZURE_TERRAFORM_APPLY_CLIENT_ID");
const JOB_CLIENT_ID = githubExpression("env.ARM_CLIENT_ID");

/** Terraform (ARM_CLIENT_ID) and azure/login run as `expected`, the job's own identity. */
function identityProblems(where: string, job: Job, expected: string, identity: string): string[] {
  const problems: string[] = [];
  const env = isRecord(job.env) ? job.env : {};
  if (env.ARM_CLIENT_ID !== expected) {
    problems.push(
      `${where}: env.ARM_CLIENT_ID: is ${JSON.stringify(env.ARM_CLIENT_ID) ?? "unset"}, must be "${expected}" (${identity})`,
    );
  }
  for (const login of uses(job, "azure/login")) {
    const clientId = isRecord(login.with) ? login.with["client-id"] : undefined;
    if (typeof clientId === "string" && clientId !== JOB_CLIENT_ID) {
      problems.push(
        `${where}: azure/login.with.client-id: is "${clientId}", must be "${JOB_CLIENT_ID}" (the job's identity)`,
      );
    }
  }
  return problems;
}

function loginProblems(where: string, job: Job): string[] {
  const problems: string[] = [];
  const permissions = isRecord(job.permissions) ? job.permissions : {};
  if (permissions["id-token"] !== "write")
    problems.push(`${where}: permissions.id-token: must be "write" for OIDC`);
  const logins = uses(job, "azure/login");
  if (logins.length === 0) problems.push(`${where}: steps: no azure/login step`);
  for (const login of logins) {
    const inputs = isRecord(login.with) ? login.with : {};
    for (const input of ["client-id", "tenant-id", "subscription-id"]) {
      if (typeof inputs[input] !== "string") problems.push(`${where}: azure/login.with.${input}: missing`);
    }
    if ("creds" in inputs || "client-secret" in inputs) {
      problems.push(`${where}: azure/login.with: passes a secret credential; OIDC needs none`);
    }
  }
  return problems;
}

/** One "file: place: problem" line per broken promise of the Terraform workflow. */
export function terraformWorkflowProblems(workflow: unknown, file: string): string[] {
  if (!isRecord(workflow)) return [`${file}: (document): not a workflow mapping`];
  const problems: string[] = [];
  const on = isRecord(workflow.on) ? workflow.on : {};
  const pullRequest = isRecord(on.pull_request) ? on.pull_request : undefined;
  if (!pullRequest || !Array.isArray(pullRequest.paths) || !pullRequest.paths.includes("terraform/**")) {
    problems.push(`${file}: on.pull_request.paths: must include "terraform/**"`);
  }
  const push = isRecord(on.push) ? on.push : undefined;
  if (!push || !Array.isArray(push.branches) || !push.branches.includes("main")) {
    problems.push(`${file}: on.push.branches: must include "main"`);
  }
  const env = isRecord(workflow.env) ? workflow.env : {};
  if (env.ARM_USE_OIDC !== "true") problems.push(`${file}: env.ARM_USE_OIDC: must be "true"`);

  const jobs = Object.entries(isRecord(workflow.jobs) ? workflow.jobs : {}).filter(
    (entry): entry is [string, Job] => isRecord(entry[1]),
  );
  const job = (pattern: RegExp) => jobs.find(([, body]) => runsCommand(body, pattern));

  if (!job(/terraform fmt -check/)) problems.push(`${file}: jobs: no job runs "terraform fmt -check"`);

  const planOnPullRequest = jobs.find(
    ([, body]) => String(body.if).includes("pull_request") && runsCommand(body, /terraform plan/),
  );
  if (!planOnPullRequest) {
    problems.push(`${file}: jobs: no job runs "terraform plan" on pull requests`);
  } else {
    const [name, body] = planOnPullRequest;
    const where = `${file}: jobs.${name}`;
    if (!runsCommand(body, /terraform validate/)) problems.push(`${where}: steps: no "terraform validate"`);
    if (!runsCommand(body, /-backend-config/))
      problems.push(`${where}: steps: "terraform init" without -backend-config`);
    if (!runsCommand(body, /terraform show[^\n]*tfplan/) || !runsCommand(body, /\$GITHUB_STEP_SUMMARY/)) {
      problems.push(`${where}: steps: the plan is not posted to $GITHUB_STEP_SUMMARY`);
    }
    if (!runsCommand(body, /terraform plan[^\n]*-lock=false/)) {
      problems.push(
        `${where}: steps: "terraform plan" without -lock=false: the plan identity may only read the state`,
      );
    }
    problems.push(...loginProblems(where, body));
    problems.push(...identityProblems(where, body, PLAN_CLIENT_ID, "the read-only plan identity"));
  }

  const apply = jobs.find(([, body]) => runsCommand(body, /terraform apply/));
  if (!apply) {
    problems.push(`${file}: jobs: no job runs "terraform apply"`);
  } else {
    const [name, body] = apply;
    const where = `${file}: jobs.${name}`;
    if (!String(body.if).includes("refs/heads/main") || !String(body.if).includes("push")) {
      problems.push(`${where}: if: must apply only on pushes to main`);
    }
    const environment = isRecord(body.environment) ? body.environment.name : body.environment;
    if (!String(environment).includes("production")) {
      problems.push(`${where}: environment: must be the "production" environment, whose reviewers approve`);
    }
    problems.push(...loginProblems(where, body));
    problems.push(...identityProblems(where, body, APPLY_CLIENT_ID, "the environment's apply identity"));
  }
  return problems;
}

/** Names of the TF_VAR_* variables a workflow sets, at workflow, job or step level. */
function tfVarNames(workflow: Record<string, unknown>): Set<string> {
  const envs = [workflow.env];
  for (const job of Object.values(isRecord(workflow.jobs) ? workflow.jobs : {})) {
    if (!isRecord(job)) continue;
    envs.push(job.env, ...steps(job).map((step) => step.env));
  }
  return new Set(
    envs.flatMap((env) =>
      Object.keys(isRecord(env) ? env : {})
        .filter((key) => key.startsWith("TF_VAR_"))
        .map((key) => key.slice("TF_VAR_".length)),
    ),
  );
}

/** Names a workflow passes with `-var name=...` or `-var="name=..."` in a run: block. */
function cliVarNames(workflow: Record<string, unknown>): Set<string> {
  const names = new Set<string>();
  for (const job of Object.values(isRecord(workflow.jobs) ? workflow.jobs : {})) {
    if (!isRecord(job)) continue;
    for (const run of runs(job)) {
      for (const match of run.matchAll(/-var[= ]+['"]?([A-Za-z_][\w-]*)=/g)) names.add(String(match[1]));
    }
  }
  return names;
}

/**
 * Every root variable of an environment without a default is supplied by the workflow (TF_VAR_* or -var)
 * or set in a committed tfvars file of that environment (`tfvarsNames`, keyed by directory): otherwise
 * `terraform plan` would stop at a prompt, or fail under TF_INPUT=false.
 */
export function unsuppliedVariableProblems(
  workflow: unknown,
  file: string,
  files: TfFile[],
  tfvarsNames: Record<string, string[]>,
): string[] {
  if (!isRecord(workflow)) return [];
  const supplied = new Set([...tfVarNames(workflow), ...cliVarNames(workflow)]);
  return variables(files)
    .filter((variable) => environmentOf(dirOf(variable)) !== undefined && !("default" in variable.body))
    .filter(
      (variable) => !supplied.has(variable.name) && !tfvarsNames[dirOf(variable)]?.includes(variable.name),
    )
    .map(
      (variable) =>
        `${file}: env: TF_VAR_${variable.name}: missing; ${variable.file} declares "${variable.name}" without a default and no committed tfvars sets it`,
    );
}

/** Terraform loads these from the working directory by itself (terraform.tfvars, *.auto.tfvars, and .json). */
const AUTO_LOADED_TFVARS = /(^|\/)(terraform|[^/]+\.auto)\.tfvars(\.json)?$/;

/** The variables each environment's committed, auto-loaded tfvars files set, keyed by directory. */
export async function committedTfvarsNames(root: string = ROOT): Promise<Record<string, string[]>> {
  const repository = path.dirname(root);
  const { stdout } = await execFileAsync("git", ["ls-files", "--", "terraform/environments"], {
    cwd: repository,
  });
  const names: Record<string, string[]> = {};
  for (const file of stdout.split("\n").filter((line) => AUTO_LOADED_TFVARS.test(line))) {
    const text = await readFile(path.join(repository, file), "utf8");
    const body: unknown = file.endsWith(".json") ? JSON.parse(text) : (await parseTfText(file, text)).body;
    const dir = dirOf(file);
    names[dir] = [...(names[dir] ?? []), ...Object.keys(isRecord(body) ? body : {})];
  }
  return names;
}
