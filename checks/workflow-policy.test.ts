// What every workflow must hold beyond actionlint: third-party actions pinned to full commit SHAs with the
// version named (OpenSSF Scorecard "Pinned-Dependencies"), least permissions, OIDC instead of client secrets,
// deploys queued, and local actions given only the inputs their action.yml declares (actionlint cannot see them).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { reportInputs } from "../actions/lib/entry/definition.ts";
import { actionNames, readActionMetadata } from "./actions-metadata.ts";
import { allSteps, localAction, readWorkflow, workflowDir, workflowFiles } from "./workflows.ts";

/** `uses:` lines not pinned as `owner/repo[/path]@<40 hex> # v<version>`. */
export function unpinned(text: string): string[] {
  return text
    .split("\n")
    .map((line, i) => ({ line: line.trim(), at: i + 1 }))
    .filter(({ line }) => /^(- )?uses: /.test(line) && !/uses: \.\//.test(line))
    .filter(({ line }) => !/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(line))
    .map(({ line, at }) => `line ${at}: ${line}`);
}

describe("workflow policy", () => {
  const actions = new Set(actionNames());

  for (const file of workflowFiles()) {
    describe(file, () => {
      const workflow = readWorkflow(file);
      const text = readFileSync(join(workflowDir, file), "utf8");

      it("pins third-party actions to full commit SHAs and names the version", () =>
        assert.deepEqual(unpinned(text), []));

      it("sets permissions at the top", () =>
        assert.ok(workflow.permissions !== undefined, "no top-level permissions"));

      it("asks for the pipeline identity's OIDC token only in jobs bound to an environment", () => {
        // The pipeline identity trusts only `environment:production` (terraform/modules/identity); the
        // Terraform plan identity, read-only, trusts pull requests (terraform/bootstrap).
        const unbound = Object.entries(workflow.jobs).filter(
          ([, job]) =>
            job.permissions?.["id-token"] === "write" &&
            !job.environment &&
            job.steps.some((step) => localAction(step) || step.uses?.startsWith("azure/login@")) &&
            !JSON.stringify(job).includes("AZURE_TERRAFORM_PLAN_CLIENT_ID"),
        );
        assert.deepEqual(
          unbound.map(([name]) => name),
          [],
        );
      });

      it("holds no Azure client secret", () =>
        assert.doesNotMatch(text, /AZURE_CLIENT_SECRET|creds:|client-secret/));

      it("gives local actions only the inputs their action.yml declares, and every required one", () => {
        const problems = allSteps(workflow).flatMap(({ job, step }) => {
          const action = localAction(step);
          if (!action || !actions.has(action)) return [];
          const declared = readActionMetadata(action).inputs ?? {};
          // Every entry reads report and summary (actions/lib/entry/github.ts), declared or not.
          const common = reportInputs.map((i) => i.name);
          const given = Object.keys(step.with ?? {});
          return [
            ...given
              .filter((k) => !(k in declared) && !common.includes(k))
              .map((k) => `${job}/${step.name}: unknown input ${k}`),
            ...Object.entries(declared)
              .filter(([k, spec]) => spec.required && spec.default === undefined && !given.includes(k))
              .map(([k]) => `${job}/${step.name}: missing required input ${k}`),
          ];
        });
        assert.deepEqual(problems, []);
      });
    });
  }

  it("deploys and rollbacks queue in one group, never cancelled", () => {
    const groups = ["deploy.yml", "rollback.yml"].map((f) => readWorkflow(f).concurrency);
    assert.deepEqual(groups, [
      { group: "deploy-production", "cancel-in-progress": false },
      { group: "deploy-production", "cancel-in-progress": false },
    ]);
  });

  it("catches a tag, a short SHA and a SHA without its version", () => {
    const text = [
      "      - uses: actions/checkout@v4",
      "      - uses: actions/checkout@3d3c42e",
      "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
      "      - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
      "      - uses: ./actions/aks-deploy",
    ].join("\n");
    assert.deepEqual(unpinned(text), [
      "line 1: - uses: actions/checkout@v4",
      "line 2: - uses: actions/checkout@3d3c42e",
      "line 3: - uses: actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1",
    ]);
  });
});
