// `npm run rehearse`: the whole pipeline on this machine, against the local platform (local/README.md), the way
// deploy.yml and rollback.yml run it on GitHub and the Jenkinsfile on Jenkins — the same CLI entries, the same
// inputs. Steps: platform up (Docker runtime, AKS local accounts off) -> build-push through the ACR login flow ->
// aks-deploy release 1 -> import postings -> smoke-test (verifies it) -> release 2 + smoke-test -> a broken
// release 3, which aks-deploy must catch fast and undo -> a manual rollback as rollback.yml runs it ->
// smoke-test. A steady request stream goes through the Ingress from the moment release 1 serves to the end; the
// summary counts its failures, step by step (the goal is none). The platform is left up to look at.

import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { runCli } from "../local/common/exit-code.ts";
import { machineBuildArgs } from "../local/images/machine-ca-base.ts";
import { applyClusterInputs } from "./cluster-inputs.ts";
import { readDatabase } from "./database.ts";
import { rehearsalPostings, runAdminImport, startPostingsSource } from "./linkedin.ts";
import { ensurePlatform, type PlatformState } from "./platform.ts";
import { Progress } from "./progress.ts";
import { type ActionRun, runAction } from "./run-action.ts";
import { rehearsalSummary, type StepExpectation } from "./summary.ts";
import { startTraffic, type Traffic, type TrafficCounts } from "./traffic.ts";

const repositoryRoot = resolve(import.meta.dirname, "..");
const tsx = join(repositoryRoot, "node_modules", "tsx", "dist", "cli.mjs");
const namespace = "cloudjobhunt";
const deployment = "backend";
/** The public name the local overlay gives the Ingress (k8s/local/ingress-host.yaml). */
const publicHost = "api.cloudjobhunt.test";
/** Where pods reach the host: the platform's pod bridge (local/network/README.md). */
const podBridgeAddress = "10.244.0.1";
const trafficPerSecond = 20;

function git(args: readonly string[]): string {
  return execFileSync("git", args, { cwd: repositoryRoot, encoding: "utf8" }).trim();
}

function setting(platform: PlatformState, name: string): string {
  const value = platform.azure[name];
  if (value === undefined || value === "")
    throw new Error(`${name} is missing from ${platform.home}/azure/azure.env`);
  return value;
}

class Rehearsal {
  readonly progress = new Progress((line) => process.stdout.write(`${line}\n`));
  readonly expectations: StepExpectation[] = [];
  env: NodeJS.ProcessEnv = {};
  /** The request stream, once release 1 serves: each later step says how many of its requests failed. */
  traffic: Traffic | undefined;

  /** One pipeline step: an action's CLI entry, as the Jenkinsfile calls it, and the exit code it should end with. */
  async action(
    name: string,
    waitingFor: string,
    action: string,
    flags: readonly string[],
    expected: number,
  ): Promise<ActionRun> {
    const failedBefore = this.traffic?.counts().failed;
    const run = await this.progress.step(
      name,
      waitingFor,
      () =>
        runAction(action, flags, {
          repositoryRoot,
          env: this.env,
          onLine: (line) => this.progress.note(`│ ${line}`),
        }),
      (result) => {
        const failed = failedBefore === undefined ? 0 : (this.traffic?.counts().failed ?? 0) - failedBefore;
        const during = failedBefore === undefined ? "" : `, ${failed} requests failed meanwhile`;
        return {
          outcome: `exit ${result.exitCode} (${String(result.report.outcome.result ?? "")})${during}`,
          ok: result.exitCode === expected,
        };
      },
    );
    this.expectations.push({ name, action, expected, run });
    // Later steps build on this one: stop here, the summary says why.
    if (run.exitCode !== expected)
      throw new Error(`${name} ended with exit ${run.exitCode}, not ${expected}`);
    return run;
  }
}

async function main(): Promise<number> {
  const rehearsal = new Rehearsal();
  const { progress } = rehearsal;
  const platform = await progress.step(
    "platform",
    "local platform up (Docker runtime, AKS local accounts off)",
    () => ensurePlatform(repositoryRoot, process.env, (message) => progress.note(message)),
    (state) => ({ outcome: `up, state in ${state.home}`, ok: true }),
  );
  rehearsal.env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...platform.azure,
    NODE_EXTRA_CA_CERTS: platform.caFile,
    ...(platform.dockerHost === undefined ? {} : { DOCKER_HOST: platform.dockerHost }),
    GIT_COMMIT: git(["rev-parse", "HEAD"]),
  };
  const aks = [
    "--resource-group",
    setting(platform, "AKS_RESOURCE_GROUP"),
    "--cluster-name",
    setting(platform, "AKS_CLUSTER_NAME"),
  ];
  const ca = readFileSync(platform.caFile, "utf8");
  const publicUrl = new URL(`https://${publicHost}:${platform.ingress.port}`);

  await progress.step(
    "base images",
    "the Dockerfile's base images in the platform's engine (npm run images:base; cached after the first run)",
    () => baseImages((line) => progress.note(`│ ${line}`)),
    () => ({ outcome: "ready", ok: true }),
  );
  // npm ci inside the build needs the npm registry (host network) and, behind a TLS-inspecting proxy, its CA.
  const buildArgs = Object.entries(await machineBuildArgs(platform.dockerHost ?? "", process.env)).flatMap(
    ([name, value]) => ["--build-args", `${name}=${value}`],
  );
  const build = await rehearsal.action(
    "build-push",
    "build the API image, push it through the ACR login flow, read its digest back from the registry",
    "build-push",
    [
      "--context",
      ".",
      "--registry",
      setting(platform, "ACR_LOGIN_SERVER"),
      "--repository",
      "cloudjobhunt/api",
      "--network",
      "host",
      ...buildArgs,
    ],
    0,
  );
  const image = String(build.report.outcome.image ?? "");
  if (build.exitCode !== 0 || image === "") return finish(rehearsal, platform, undefined);

  const deploy = (release: string) => [
    "--manifests",
    `rehearsal/releases/${release}`,
    "--namespace",
    namespace,
    ...aks,
    "--image",
    `api=${image}`,
    "--timeout",
    "5m",
  ];
  // The gate alone (as rollback.yml runs it), and with the verdict: told the deployment, a pass marks the
  // running release verified and a failure undoes it.
  const gate = [
    "--url",
    publicUrl.href,
    "--connect-to",
    platform.ingress.address,
    "--ca-file",
    platform.caFile,
    "--checks",
    "actions/smoke-test/checks/cloudjobhunt.yaml",
    "--requests",
    "200",
    "--concurrency",
    "4",
  ];
  const smoke = [...gate, "--deployment", deployment, "--namespace", namespace, ...aks];
  const source = await startPostingsSource(podBridgeAddress);
  try {
    await progress.step(
      "cluster inputs",
      `namespace ${namespace}, the database Secret, the LinkedIn stand-in's address`,
      () =>
        applyClusterInputs(platform.kubeconfig, {
          namespace,
          database: readDatabase(platform.home).forPods,
          linkedin: { baseUrl: source.standIn.url, token: source.token },
        }),
      () => ({ outcome: "applied", ok: true }),
    );
    await rehearsal.action(
      "deploy release 1",
      "apply k8s/prod (local overlay) with the new image, wait like kubectl",
      "aks-deploy",
      deploy("first"),
      0,
    );
    rehearsal.traffic = startTraffic(
      { url: new URL("/healthz", publicUrl), connectTo: platform.ingress.address, ca },
      trafficPerSecond,
    );
    progress.note(`request stream started: ${trafficPerSecond} GET /healthz a second through the Ingress`);
    await progress.step(
      "import postings",
      `${rehearsalPostings} postings from the LinkedIn stand-in through POST /admin/imports/linkedin`,
      () =>
        runAdminImport(
          publicUrl,
          platform.ingress.address,
          ca,
          adminToken(readDatabase(platform.home).forHost),
        ),
      (report) => ({
        outcome: `fetched ${report.fetched}, inserted ${report.inserted}, unchanged ${report.unchanged}, skipped ${report.skipped}`,
        ok: report.fetched > 0,
      }),
    );
    await rehearsal.action(
      "smoke-test release 1",
      "health, checks, TLS and latency through the Ingress; a pass marks it verified",
      "smoke-test",
      smoke,
      0,
    );
    await rehearsal.action(
      "deploy release 2",
      "a healthy configuration change",
      "aks-deploy",
      deploy("second"),
      0,
    );
    await rehearsal.action(
      "smoke-test release 2",
      "the gate again; a pass marks release 2 verified",
      "smoke-test",
      smoke,
      0,
    );
    await rehearsal.action(
      "deploy broken release 3",
      "pods that crash-loop: aks-deploy must fail fast and undo to release 2",
      "aks-deploy",
      deploy("broken"),
      1,
    );
    await rehearsal.action(
      "manual rollback",
      "rollback.yml's step: back to the last verified release before the current one",
      "aks-deploy",
      [
        "--manifests",
        "rehearsal/releases/first",
        "--mode",
        "rollback",
        "--reason",
        "rehearsal: manual rollback drill",
        "--namespace",
        namespace,
        ...aks,
      ],
      0,
    );
    // As rollback.yml: a gate only, not told the deployment, so a failure never undoes the rollback.
    await rehearsal.action(
      "smoke-test after rollback",
      "the gate on the rolled-back release",
      "smoke-test",
      gate,
      0,
    );
  } catch (error) {
    progress.note(`stopped: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await source.standIn.close();
  }
  const counts = await rehearsal.traffic?.stop();
  if (counts !== undefined)
    progress.note(`requests through the Ingress: ${counts.sent} sent, ${counts.failed} failed`);
  return finish(rehearsal, platform, counts);
}

/** `npm run images:base`, streamed: it finds the platform's engine through the same state folder. */
function baseImages(onLine: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [tsx, "local/images/build-base-images.ts"], {
      cwd: repositoryRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on("line", onLine);
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolvePromise() : reject(new Error(`images:base exited ${code}`)),
    );
  });
}

/** An admin token made with the API's own CLI against the database (printed once, kept only in memory). */
function adminToken(database: Readonly<Record<string, string>>): string {
  return execFileSync(
    process.execPath,
    [
      tsx,
      "server/auth/cli.ts",
      "create-token",
      "--user",
      "rehearsal",
      "--admin",
      "--label",
      "rehearsal import",
    ],
    {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH, ...database },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    },
  ).trim();
}

function finish(rehearsal: Rehearsal, platform: PlatformState, traffic: TrafficCounts | undefined): number {
  const { progress } = rehearsal;
  const summary = rehearsalSummary({
    steps: progress.steps,
    expectations: rehearsal.expectations,
    traffic,
    totalSeconds: progress.elapsed(),
  });
  const dir = join(platform.home, "rehearsal");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "summary.md"), summary);
  process.stdout.write(`\n${summary}\n`);
  process.stdout.write(
    [
      `Summary written to ${join(dir, "summary.md")}.`,
      "The platform stays up. Reach the API through its Ingress:",
      `  curl --cacert ${platform.caFile} --resolve ${publicHost}:${platform.ingress.port}:${platform.ingress.address} 'https://${publicHost}:${platform.ingress.port}/jobs?q=cloud'`,
      `  KUBECONFIG=${platform.kubeconfig} kubectl -n ${namespace} get deployments,replicasets,pods`,
      "Stop it with: npm run platform -- down",
      "",
    ].join("\n"),
  );
  const failedRequests = traffic?.failed ?? 0;
  return progress.steps.every((step) => step.ok) && failedRequests === 0 ? 0 : 1;
}

await runCli(main);
