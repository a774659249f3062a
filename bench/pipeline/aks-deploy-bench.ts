// bench:pipeline, aks-deploy part: a crash-looping release deployed (a) with aks-deploy (its committed bundle,
// run as GitHub runs it) and (b) with kubectl apply + kubectl rollout status + kubectl rollout undo, on the
// same manifests and progress deadline, against the local platform (simulated runtime, real clock).
// An independent watch in this process stamps what the cluster does: the first decisive pod signal of the
// bad release, and the moment the Deployment is healthy again on the good release.
import { type ChildProcess, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CoreV1Api, KubeConfig, type V1Deployment, type V1Pod, Watch } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { realClock } from "../../local/kube/clock/clock.ts";
import { startPlatform } from "../../local/platform/start-platform.ts";
import { simAnnotation } from "../../local/runtime/simulated/script.ts";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const bundle = join(repositoryRoot, "actions/aks-deploy/dist/index.mjs");
const namespace = "bench";
const name = "api";

export interface PipelineBenchOptions {
  readonly repetitions: number;
  /** progressDeadlineSeconds of the Deployment, the same for (a) and (b). */
  readonly progressDeadlineSeconds: number;
}

export interface Repetition {
  /** (a) first decisive pod signal (watch) -> aks-deploy's undo accepted by the API server (its report), ms. */
  readonly signalToUndoMs: number;
  /** The part of it until the action's wait reported the failure. */
  readonly signalToDetectMs: number;
  /** (a) step start -> Deployment healthy on the good release again (watch), ms. */
  readonly aksDeployHealthyMs: number;
  /** (b) kubectl apply start -> healthy again (watch), ms. */
  readonly kubectlHealthyMs: number;
  /** A healthy deploy: rollout complete (watch) -> the aks-deploy process exited, ms. */
  readonly completeToExitMs: number;
}

/** The simulated registry serves a tag's digest as the sha256 of the tagged reference. */
const taggedImage = (label: string) => `registry.example.test/api:${label}`;
const imageOf = (label: string) =>
  `registry.example.test/api@sha256:${createHash("sha256").update(taggedImage(label)).digest("hex")}`;

function deploymentFor(image: string, crash: boolean, progressDeadlineSeconds: number): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace },
    spec: {
      replicas: 3,
      progressDeadlineSeconds,
      selector: { matchLabels: { app: name } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: { app: name },
          annotations: crash
            ? {
                // Exits 300 ms after each start, before its readiness (1 s) could count it available.
                [simAnnotation.crashExitCode]: "1",
                [simAnnotation.crashAfterMs]: "300",
                [simAnnotation.readyAfterMs]: "1000",
              }
            : { [simAnnotation.readyAfterMs]: "300" },
        },
        spec: {
          containers: [
            {
              name: "api",
              image,
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
              resources: {
                requests: { cpu: "50m", memory: "64Mi" },
                limits: { cpu: "500m", memory: "256Mi" },
              },
            },
          ],
        },
      },
    },
  };
}

const decisiveReasons = new Set([
  "CrashLoopBackOff",
  "ErrImagePull",
  "ImagePullBackOff",
  "CreateContainerConfigError",
  "InvalidImageName",
]);

/** Stamps cluster moments from a watch of its own (wall-clock ms). */
class ClusterWatch {
  readonly #stops: AbortController[] = [];
  readonly #pods: ((pod: V1Pod, at: number) => void)[] = [];
  readonly #deployments: ((deployment: V1Deployment, at: number) => void)[] = [];

  static async start(kubeConfig: KubeConfig): Promise<ClusterWatch> {
    const watch = new ClusterWatch();
    const watcher = new Watch(kubeConfig);
    const open = async (path: string, deliver: (object: never, at: number) => void) => {
      const controller = await watcher.watch(
        path,
        {},
        (_type, object) => deliver(object as never, Date.now()),
        () => {},
      );
      watch.#stops.push(controller);
    };
    await open(`/api/v1/namespaces/${namespace}/pods`, (pod: V1Pod, at) => {
      for (const listener of watch.#pods) listener(pod, at);
    });
    await open(`/apis/apps/v1/namespaces/${namespace}/deployments`, (deployment: V1Deployment, at) => {
      for (const listener of watch.#deployments) listener(deployment, at);
    });
    return watch;
  }

  /** The first time a pod running `image` shows a decisive container state. */
  firstDecisiveSignal(image: string): Promise<number> {
    return new Promise((resolve) => {
      const listener = (pod: V1Pod, at: number) => {
        if (pod.spec?.containers[0]?.image !== image) return;
        const decisive = (pod.status?.containerStatuses ?? []).some((status) =>
          decisiveReasons.has(status.state?.waiting?.reason ?? ""),
        );
        if (!decisive) return;
        this.#pods.splice(this.#pods.indexOf(listener), 1);
        resolve(at);
      };
      this.#pods.push(listener);
    });
  }

  /** The first time the Deployment runs `image` and kubectl would call its rollout complete. */
  complete(image: string): Promise<number> {
    return new Promise((resolve) => {
      const listener = (deployment: V1Deployment, at: number) => {
        const status = deployment.status ?? {};
        const replicas = deployment.spec?.replicas ?? 1;
        const done =
          deployment.spec?.template.spec?.containers[0]?.image === image &&
          (status.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0) &&
          status.updatedReplicas === replicas &&
          status.replicas === replicas &&
          status.availableReplicas === replicas;
        if (!done) return;
        this.#deployments.splice(this.#deployments.indexOf(listener), 1);
        resolve(at);
      };
      this.#deployments.push(listener);
    });
  }

  stop() {
    for (const controller of this.#stops) controller.abort();
  }
}

interface Step {
  readonly startedAt: number;
  readonly exitedAt: Promise<{ code: number | null; at: number; stderr: string }>;
}

function startStep(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Step {
  const startedAt = Date.now();
  const child: ChildProcess = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  // Both streams are kept for the error message of a step that fails.
  let stderr = "";
  const keep = (chunk: Buffer) => {
    stderr += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exitedAt = new Promise<{ code: number | null; at: number; stderr: string }>((done) => {
    child.on("exit", (code) => done({ code, at: Date.now(), stderr }));
  });
  return { startedAt, exitedAt };
}

export async function runAksDeployBench(
  options: PipelineBenchOptions,
  progress: (line: string) => void,
): Promise<Repetition[]> {
  const work = mkdtempSync(join(tmpdir(), "bench-pipeline-"));
  const labels = Array.from({ length: options.repetitions }, (_, index) => index);
  const images = [
    "good",
    ...labels.flatMap((index) => [`bad-a-${index}`, `bad-b-${index}`, `good-${index}`]),
  ].map(taggedImage);
  const platform = await startPlatform({
    stateDir: join(work, "platform"),
    clock: realClock,
    components: ["api-server", "controllers"],
    simulatedRegistry: images,
  });
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(platform.kubeconfigPath);
  await kubeConfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: namespace } } });
  const watch = await ClusterWatch.start(kubeConfig);
  const manifests = (image: string, crash: boolean) => {
    const dir = join(work, `manifests-${Date.now()}-${Math.random().toString(16).slice(2)}`);
    mkdirSync(dir);
    writeFileSync(
      join(dir, "deployment.yaml"),
      stringify(deploymentFor(image, crash, options.progressDeadlineSeconds)),
    );
    return dir;
  };
  const env = { ...process.env, KUBECONFIG: platform.kubeconfigPath };
  const aksDeploy = (image: string, crash: boolean, report: string) =>
    startStep(process.execPath, [bundle], {
      ...env,
      INPUT_MANIFESTS: manifests(image, crash),
      INPUT_NAMESPACE: namespace,
      INPUT_KUBECONFIG: platform.kubeconfigPath,
      INPUT_TIMEOUT: "5m",
      "INPUT_LOCK-TIMEOUT": "1m",
      INPUT_REPORT: report,
    });
  const kubectl = async (args: readonly string[]) => {
    const step = startStep("kubectl", args, env);
    return (await step.exitedAt).code;
  };
  const good = imageOf("good");
  try {
    const first = await aksDeploy(good, false, join(work, "first.json")).exitedAt;
    if (first.code !== 0) throw new Error(`the first deploy failed (${first.code}): ${first.stderr}`);
    const repetitions: Repetition[] = [];
    for (const index of labels) {
      // (a) aks-deploy with a crash-looping release.
      const badA = imageOf(`bad-a-${index}`);
      const signalA = watch.firstDecisiveSignal(badA);
      const reportPath = join(work, `a-${index}.json`);
      const stepA = aksDeploy(badA, true, reportPath);
      const healthyA = watch.complete(good);
      const exitA = await stepA.exitedAt;
      if (exitA.code !== 1) throw new Error(`(a) exited ${exitA.code}, expected 1: ${exitA.stderr}`);
      const report = JSON.parse(readFileSync(reportPath, "utf8")) as {
        outcome: { timeline: { undoRequestedAt?: string; failureDetectedAt?: string } };
      };
      const signalAt = await signalA;
      const signalToUndoMs = Date.parse(report.outcome.timeline.undoRequestedAt ?? "") - signalAt;
      const signalToDetectMs = Date.parse(report.outcome.timeline.failureDetectedAt ?? "") - signalAt;
      const aksDeployHealthyMs = (await healthyA) - stepA.startedAt;

      // (b) kubectl apply + rollout status (until the progress deadline) + rollout undo.
      const badB = imageOf(`bad-b-${index}`);
      const dirB = manifests(badB, true);
      const startedB = Date.now();
      await kubectl(["apply", "-n", namespace, "-f", dirB]);
      const healthyB = watch.complete(good);
      const status = await kubectl([
        "rollout",
        "status",
        "-n",
        namespace,
        `deployment/${name}`,
        "--timeout=5m",
      ]);
      if (status === 0) throw new Error("(b) kubectl rollout status succeeded on a crash-looping release");
      await kubectl(["rollout", "undo", "-n", namespace, `deployment/${name}`]);
      const kubectlHealthyMs = (await healthyB) - startedB;

      // A healthy deploy: rollout complete -> the step's exit.
      const next = imageOf(`good-${index}`);
      const completeNext = watch.complete(next);
      const stepC = aksDeploy(next, false, join(work, `c-${index}.json`));
      const exitC = await stepC.exitedAt;
      if (exitC.code !== 0) throw new Error(`the healthy deploy exited ${exitC.code}: ${exitC.stderr}`);
      const completeToExitMs = exitC.at - (await completeNext);
      // Back to the good release for the next repetition (kubectl's undo: no aks-deploy state involved).
      const backToGood = watch.complete(good);
      await kubectl(["rollout", "undo", "-n", namespace, `deployment/${name}`]);
      await backToGood;

      const repetition = {
        signalToUndoMs,
        signalToDetectMs,
        aksDeployHealthyMs,
        kubectlHealthyMs,
        completeToExitMs,
      };
      progress(`repetition ${index + 1}: ${JSON.stringify(repetition)}`);
      repetitions.push(repetition);
    }
    return repetitions;
  } finally {
    watch.stop();
    await platform.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
