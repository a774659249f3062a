// What the fidelity tests share: a platform started in-process (API server + controllers and kubelet on the
// simulated runtime, a clock 20x faster), the real kubectl pointed at it, and Deployment manifests.
import { execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { V1Deployment } from "@kubernetes/client-node";
import { stringify } from "yaml";
import { type RunningPlatform, startPlatform } from "../../platform/start-platform.ts";
import { simAnnotation } from "../../runtime/simulated/script.ts";
import { type CancelTimer, type Clock, scaledClock } from "../clock/clock.ts";

/** 20x: a 10 s progress deadline passes in 0.5 s; a pod ready after 2 s takes 100 ms. */
export const clockFactor = 20;

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A kubectl process whose output is read as it comes (watches, waits). */
export interface KubectlStream {
  /** Resolves once stdout so far satisfies `test` (or the process ended); rejects after timeoutMs. */
  until(test: (stdout: string) => boolean, timeoutMs?: number): Promise<void>;
  stop(): void;
  done: Promise<KubectlResult>;
}

export interface TestPlatform {
  platform: RunningPlatform;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  kubectlStream(args: string[]): KubectlStream;
  /**
   * Holds back every platform timer set from now on (probe periods among them: no pod turns ready) until the
   * returned function is called; then each fires at its due time, or at once if that has passed.
   */
  holdTimers(): () => void;
  close(): Promise<void>;
}

/** A clock whose timers can be held: lets a test see a state the platform would otherwise leave at once. */
function holdableClock(inner: Clock): { clock: Clock; hold(): () => void } {
  let held: (() => void)[] | undefined;
  const clock: Clock = {
    now: () => inner.now(),
    setTimer(ms, fn) {
      if (!held) return inner.setTimer(ms, fn);
      const due = inner.now().getTime() + ms;
      let cancelled = false;
      let cancel: CancelTimer = () => {};
      held.push(() => {
        if (!cancelled) cancel = inner.setTimer(due - inner.now().getTime(), fn);
      });
      return () => {
        cancelled = true;
        cancel();
      };
    },
  };
  const hold = () => {
    held ??= [];
    return () => {
      const queue = held ?? [];
      held = undefined;
      for (const arm of queue) arm();
    };
  };
  return { clock, hold };
}

export async function startTestPlatform(): Promise<TestPlatform> {
  const stateDir = mkdtempSync(join(tmpdir(), "rollout-fidelity-"));
  const { clock, hold } = holdableClock(scaledClock(clockFactor));
  const platform = await startPlatform({
    stateDir,
    clock,
    components: ["api-server", "controllers"],
    simulatedRegistry: ["web:1", "web:2", "web:3"],
  });
  const kubectl = (args: string[], input?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        "kubectl",
        args,
        { env: { ...process.env, KUBECONFIG: platform.kubeconfigPath }, timeout: 60_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
          resolve({ code, stdout, stderr });
        },
      );
      if (input !== undefined) child.stdin?.end(input);
    });
  const kubectlStream = (args: string[]): KubectlStream => {
    const child = spawn("kubectl", args, {
      env: { ...process.env, KUBECONFIG: platform.kubeconfigPath },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const waiters: { test: (stdout: string) => boolean; resolve: () => void }[] = [];
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      for (const waiter of waiters.filter((candidate) => candidate.test(stdout))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const done = new Promise<KubectlResult>((resolve) => {
      child.on("close", (code) => {
        resolve({ code: code ?? 1, stdout, stderr });
        for (const waiter of waiters) waiter.resolve();
      });
    });
    return {
      until: (test, timeoutMs = 30_000) => {
        if (test(stdout) || child.exitCode !== null) return Promise.resolve();
        return new Promise((resolve, reject) => {
          const timer = setTimeout(
            () =>
              reject(
                new Error(
                  `kubectl ${args.join(" ")}: awaited output not seen in ${timeoutMs} ms; stdout: ${stdout}; stderr: ${stderr}`,
                ),
              ),
            timeoutMs,
          );
          waiters.push({
            test,
            resolve: () => {
              clearTimeout(timer);
              resolve();
            },
          });
        });
      },
      stop: () => child.kill(),
      done,
    };
  };
  return {
    platform,
    kubectl,
    kubectlStream,
    holdTimers: hold,
    async close() {
      await platform.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface ManifestOptions {
  image?: string;
  replicas?: number;
  neverReady?: boolean;
  progressDeadlineSeconds?: number;
  maxSurge?: number;
  maxUnavailable?: number;
  /** Platform-clock ms until each pod is ready (default 2000). */
  readyAfterMs?: number;
}

export function deployment(name: string, options: ManifestOptions = {}): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: {
      replicas: options.replicas ?? 3,
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      selector: { matchLabels: { app: name } },
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: options.maxSurge ?? 1, maxUnavailable: options.maxUnavailable ?? 0 },
      },
      template: {
        metadata: {
          labels: { app: name },
          annotations: options.neverReady
            ? { [simAnnotation.neverReady]: "true" }
            : { [simAnnotation.readyAfterMs]: String(options.readyAfterMs ?? 2000) },
        },
        spec: {
          containers: [
            {
              name: "web",
              image: options.image ?? "web:1",
              readinessProbe: { tcpSocket: { port: 8080 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
}

export function yamlOf(object: unknown): string {
  return stringify(object);
}
