// The Jenkinsfile (parsed by Groovy, not grepped) against the workflows: deploy.yml's action steps are the
// Jenkins stages outside "Roll Back", rollback.yml's are the "Roll Back" stages; each pair runs the same action
// with the same inputs in the same order. Values are compared with the workflow's expressions written as the
// Jenkins environment variables that carry them.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  actionCommand,
  flatten,
  type JenkinsfileTree,
  parseJenkinsfile,
  type StageCommand,
  stageCommands,
} from "./jenkinsfile.ts";
import { localAction, readWorkflow, type Workflow } from "./workflows.ts";

/** GitHub expression -> the Jenkins environment variable holding the same value. */
const jenkinsVariables: Record<string, string> = {
  "github.sha": "GIT_COMMIT",
  "steps.build.outputs.image": "BUILT_IMAGE",
  "inputs.revision": "ROLLBACK_REVISION",
  "inputs.reason": "ROLLBACK_REASON",
};

/** A `with:` value as the Jenkinsfile writes it: `${{ vars.X }}` -> `$X`, other expressions by the table above. */
export function asJenkinsValue(value: string): string {
  return value.replaceAll(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (whole, expression: string) => {
    const variable = /^vars\.(\w+)$/.exec(expression)?.[1] ?? jenkinsVariables[expression];
    if (!variable) throw new Error(`no Jenkins variable stands for ${whole}`);
    return `$${variable}`;
  });
}

/** The workflow's local-action steps as the Jenkinsfile should run them. */
export function workflowCommands(workflow: Workflow): StageCommand[] {
  return Object.values(workflow.jobs).flatMap((job) =>
    job.steps.flatMap((step) => {
      const action = localAction(step);
      if (!action) return [];
      // A multi-line input is one value a line; the CLI takes the flag once per line.
      const inputs = Object.entries(step.with ?? {}).flatMap(([k, v]) =>
        String(v)
          .split("\n")
          .filter((line) => line.trim() !== "")
          .map((line): [string, string] => [k, asJenkinsValue(line.trim())]),
      );
      return [{ stage: step.name ?? action, action, inputs }];
    }),
  );
}

describe("Jenkinsfile", () => {
  let tree: JenkinsfileTree;
  let stages: StageCommand[];
  before(async () => {
    tree = await parseJenkinsfile();
    stages = stageCommands(tree);
  });

  it("runs deploy.yml's steps with the same inputs, in the same order", () => {
    assert.deepEqual(
      stages.filter((s) => !s.stage.startsWith("Roll Back")),
      workflowCommands(readWorkflow("deploy.yml")),
    );
  });

  it("runs rollback.yml's steps with the same inputs, in the same order", () => {
    assert.deepEqual(
      stages.filter((s) => s.stage.startsWith("Roll Back")),
      workflowCommands(readWorkflow("rollback.yml")),
    );
  });

  it("asks for rollback.yml's inputs as parameters", () => {
    const parameters = flatten(tree.script)
      .filter((c) => c.method === "parameters")
      .flatMap((c) => c.calls.map((p) => (p.args[0] as { name: string }).name));
    assert.deepEqual(parameters, ["ROLLBACK", "ROLLBACK_REVISION", "ROLLBACK_REASON"]);
  });

  it("binds Azure credentials to environment variables, never to a command line", () => {
    const bindings = flatten(tree.methods.withAzure ?? [])
      .filter((c) => c.method === "string" || c.method === "file")
      .map((c) => `${c.method} ${(c.args[0] as { variable: string }).variable}`);
    assert.deepEqual(bindings, [
      "string AZURE_CLIENT_ID",
      "string AZURE_TENANT_ID",
      "string AZURE_SUBSCRIPTION_ID",
      "file AZURE_FEDERATED_TOKEN_FILE",
    ]);
    const onCommandLine = stages.flatMap((s) => s.inputs.filter(([, v]) => v.includes("AZURE_")));
    assert.deepEqual(onCommandLine, []);
  });

  it("maps exit codes to build results: 1 unstable, 2, 3 and 4 failures", () => {
    const mapping = flatten(tree.methods.runAction ?? [])
      .filter((c) => c.method === "unstable" || c.method === "error")
      .map((c) => c.method);
    assert.deepEqual(mapping, ["unstable", "error", "error", "error", "error"]);
  });

  it("archives the reports and summaries", () => {
    const archived = flatten(tree.script)
      .filter((c) => c.method === "archiveArtifacts")
      .map((c) => (c.args[0] as { artifacts: string }).artifacts);
    assert.deepEqual(archived, ["reports/*.json, reports/*.md"]);
  });

  it("reads another order, a changed value and a quoted variable as they are", () => {
    const jenkins = actionCommand(
      "Deploy",
      'npx tsx actions/aks-deploy \\\n --namespace prod --manifests k8s/prod --image "api=$BUILT_IMAGE"',
    );
    assert.deepEqual(jenkins?.inputs, [
      ["namespace", "prod"],
      ["manifests", "k8s/prod"],
      ["image", "api=$BUILT_IMAGE"],
    ]);
    const [deploy] = workflowCommands({
      name: "w",
      on: "push",
      jobs: {
        j: {
          "runs-on": "x",
          steps: [
            {
              name: "Deploy",
              uses: "./actions/aks-deploy",
              with: { manifests: "k8s/prod", namespace: "cloudjobhunt" },
            },
          ],
        },
      },
    });
    assert.notDeepEqual(jenkins, deploy);
  });

  it("reads a flag alone as a boolean input set to true", () => {
    assert.deepEqual(
      actionCommand("Smoke Test", "npx tsx actions/smoke-test --check-https-redirect --url u")?.inputs,
      [
        ["check-https-redirect", "true"],
        ["url", "u"],
      ],
    );
  });

  it("names a word that is not a flag", () => {
    assert.throws(
      () => actionCommand("Deploy", "npx tsx actions/aks-deploy k8s/prod --namespace x"),
      /Deploy: expected --<input> at "k8s\/prod"/,
    );
  });

  it("reads a workflow expression it has no Jenkins variable for as an error", () => {
    assert.throws(
      () => asJenkinsValue(["${{", "secrets.TOKEN", "}}"].join(" ")),
      /no Jenkins variable stands for \$\{\{ secrets.TOKEN \}\}/,
    );
  });
});
