// The Terraform workflow's promises (terraform/README.md): fmt and plan on pull requests with the plan in the job
// summary, apply on main behind the production environment, OIDC login only. actionlint checks syntax
// and expressions; this checks intent.
import { isRecord } from "./tf-tree.ts";

type Job = Record<string, unknown>;

const steps = (job: Job) => (Array.isArray(job.steps) ? job.steps.filter(isRecord) : []);
const runs = (job: Job) => steps(job).map((step) => (typeof step.run === "string" ? step.run : ""));
const uses = (job: Job, action: string) =>
  steps(job).filter((step) => typeof step.uses === "string" && step.uses.startsWith(`${action}@`));
const runsCommand = (job: Job, pattern: RegExp) => runs(job).some((run) => pattern.test(run));

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
    problems.push(...loginProblems(where, body));
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
  }
  return problems;
}
