import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatProblem } from "../lib/report/problem.ts";
import { parseDeployInputs, runIdentity } from "./context.ts";

const digest = `sha256:${"b".repeat(64)}`;
const valid = {
  manifests: ["k8s/prod"],
  namespace: "cloudjobhunt",
  kubeconfig: "/tmp/kubeconfig",
  image: [`api=acr.example.test/cloudjobhunt/api@${digest}`],
};

function problemsOf(inputs: Record<string, string | string[] | undefined>, env = {}): string[] {
  const parsed = parseDeployInputs(inputs, env);
  assert.equal(parsed.ok, false, "expected problems");
  return parsed.ok ? [] : parsed.problems.map(formatProblem);
}

describe("aks-deploy inputs", () => {
  test("valid inputs give typed config with defaults", () => {
    const parsed = parseDeployInputs(valid, {
      GITHUB_RUN_ID: "7",
      GITHUB_REPOSITORY: "o/r",
      GITHUB_ACTOR: "octo",
    });
    assert.ok(parsed.ok);
    assert.equal(parsed.config.mode, "deploy");
    assert.equal(parsed.config.timeoutMs, 600_000);
    assert.equal(parsed.config.lockTimeoutMs, 300_000);
    assert.equal(parsed.config.lockLeaseSeconds, 30);
    assert.deepEqual(parsed.config.images, [
      { container: "api", reference: `acr.example.test/cloudjobhunt/api@${digest}` },
    ]);
    assert.deepEqual(parsed.config.cluster, { kind: "kubeconfig", path: "/tmp/kubeconfig" });
    assert.equal(parsed.config.run.url, "https://github.com/o/r/actions/runs/7");
    assert.deepEqual(parsed.config.thresholds, {
      maxRestarts: 2,
      unschedulableMs: 60_000,
      readinessMarginMs: 10_000,
    });
  });

  const cases: [string, Record<string, string | string[] | undefined>, RegExp][] = [
    ["no manifests", { ...valid, manifests: undefined }, /^input manifests: is required$/],
    ["no namespace", { ...valid, namespace: undefined }, /^input namespace: is required$/],
    [
      "bad namespace",
      { ...valid, namespace: "Prod_1" },
      /^input namespace: "Prod_1" is not a valid namespace name/,
    ],
    ["no cluster", { ...valid, kubeconfig: undefined }, /^input kubeconfig: no cluster given/],
    [
      "kubeconfig and AKS",
      { ...valid, "resource-group": "rg", "cluster-name": "aks" },
      /^input kubeconfig: is given together with resource-group\/cluster-name/,
    ],
    [
      "AKS without a cluster name",
      { ...valid, kubeconfig: undefined, "resource-group": "rg", "subscription-id": "s" },
      /^input cluster-name: is required with resource-group$/,
    ],
    [
      "AKS without a subscription",
      { ...valid, kubeconfig: undefined, "resource-group": "rg", "cluster-name": "aks" },
      /^input subscription-id: is required for AKS/,
    ],
    [
      "unknown mode",
      { ...valid, mode: "redeploy" },
      /^input mode: "redeploy" is not a mode \(use deploy or rollback\)$/,
    ],
    [
      "rollback without a reason",
      { ...valid, mode: "rollback", image: undefined },
      /^input reason: is required in rollback mode/,
    ],
    [
      "to-revision in deploy mode",
      { ...valid, "to-revision": "3" },
      /^input to-revision: applies to rollback mode only$/,
    ],
    [
      "to-revision not a number",
      { ...valid, mode: "rollback", reason: "r", image: undefined, "to-revision": "three" },
      /^input to-revision: "three" is not an integer$/,
    ],
    [
      "image not pinned",
      { ...valid, image: ["api=acr.example.test/api:1.0"] },
      /^input image: .*is not pinned by digest/,
    ],
    [
      "image without a container",
      { ...valid, image: ["acr.example.test/api@x"] },
      /^input image: image ".*" must be/,
    ],
    ["bad timeout", { ...valid, timeout: "ten minutes" }, /^input timeout: "ten minutes" is not a duration/],
    [
      "timeout too short",
      { ...valid, timeout: "10ms" },
      /^input timeout: 10 ms is too short \(at least 1s\)$/,
    ],
    ["bad lock-timeout", { ...valid, "lock-timeout": "-5m" }, /^input lock-timeout: "-5m" is not a duration/],
    ["bad dry-run", { ...valid, "dry-run": "yes" }, /^input dry-run: "yes" is not a boolean/],
    ["negative max-restarts", { ...valid, "max-restarts": "-1" }, /^input max-restarts: -1 is out of range/],
    [
      "fractional max-restarts",
      { ...valid, "max-restarts": "1.5" },
      /^input max-restarts: "1.5" is not an integer$/,
    ],
    [
      "bad unschedulable-timeout",
      { ...valid, "unschedulable-timeout": "1 minute" },
      /^input unschedulable-timeout: "1 minute" is not a duration/,
    ],
    [
      "bad readiness-margin",
      { ...valid, "readiness-margin": "soon" },
      /^input readiness-margin: "soon" is not a duration/,
    ],
    [
      "context with AKS",
      {
        ...valid,
        kubeconfig: undefined,
        "resource-group": "rg",
        "cluster-name": "c",
        "subscription-id": "s",
        context: "x",
      },
      /^input context: applies to a kubeconfig only/,
    ],
  ];
  for (const [name, inputs, expected] of cases)
    test(`bad input: ${name}`, () => {
      const problems = problemsOf(inputs);
      assert.ok(
        problems.some((problem) => expected.test(problem)),
        `expected ${expected} among ${JSON.stringify(problems)}`,
      );
    });

  test("every problem is reported at once", () => {
    const problems = problemsOf({ namespace: "Bad", timeout: "x", mode: "y" });
    assert.ok(problems.length >= 4, JSON.stringify(problems));
  });

  test("run identity: GitHub run URL, Jenkins BUILD_URL, else user@host", () => {
    assert.equal(
      runIdentity({
        GITHUB_SERVER_URL: "https://github.example.test",
        GITHUB_REPOSITORY: "o/r",
        GITHUB_RUN_ID: "9",
        GITHUB_RUN_ATTEMPT: "2",
      }).url,
      "https://github.example.test/o/r/actions/runs/9/attempts/2",
    );
    assert.deepEqual(runIdentity({ BUILD_URL: "https://jenkins.example.test/job/x/4/", GIT_COMMIT: "abc" }), {
      url: "https://jenkins.example.test/job/x/4/",
      commit: "abc",
    });
    assert.match(runIdentity({ USER: "dev" }).url, /^dev@.+/);
  });
});
