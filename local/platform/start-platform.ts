// The platform's one assembly: starts it in this process from options (runtime, pod network, which
// components), the store under <stateDir>/store, then every component in order. The daemon uses it (what
// `npm run platform -- up` and the rehearsal start), and so do tests and benchmarks (port 0, the simulated
// runtime, a fast clock, a subset of the components).
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Component, PlatformContext, PodNetworkSettings, RuntimeName } from "../component/component.ts";
import { kubeconfigYaml } from "../kube/apiserver/kubeconfig.ts";
import { type Clock, realClock } from "../kube/clock/clock.ts";
import { MemoryStore } from "../kube/store/memory-store.ts";
import { type ComponentChoice, platformComponents } from "./components.ts";

/** The Docker runtime's pod network unless the caller names another (tests beside a running platform). */
export const defaultPodNetwork: PodNetworkSettings = { bridge: "cjh0", cidr: "10.244.0.0/24" };

export interface PlatformOptions extends ComponentChoice {
  stateDir: string;
  /** API server port; 0 (default) picks a free one. */
  port?: number;
  runtime?: RuntimeName;
  /** The Docker runtime's bridge and pod subnet (default cjh0, 10.244.0.0/24). */
  podNetwork?: PodNetworkSettings;
  /** Start the database component: PostgreSQL for the pods (default false). */
  database?: boolean;
  /** AKS local accounts (default true); false: ARM hands out the kubelogin kubeconfig, refuses the admin one. */
  aksLocalAccounts?: boolean;
  clock?: Clock;
  log?: (message: string) => void;
}

export interface RunningPlatform {
  readonly url: string;
  readonly token: string;
  readonly kubeconfigPath: string;
  readonly store: MemoryStore;
  readonly context: PlatformContext;
  readonly components: readonly string[];
  stop(): Promise<void>;
}

/** The API token: generated once, kept (mode 0600) so kubeconfigs stay valid across restarts. */
function platformToken(stateDir: string): string {
  const path = join(stateDir, "token");
  if (existsSync(path)) return readFileSync(path, "utf8").trim();
  const token = randomBytes(32).toString("base64url");
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return token;
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const stateDir = resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const clock = options.clock ?? realClock;
  const store = new MemoryStore({ stateDir: join(stateDir, "store"), now: () => clock.now() });
  const context: PlatformContext = {
    stateDir,
    store,
    clock,
    runtime: options.runtime ?? "simulated",
    podNetwork: options.podNetwork ?? defaultPodNetwork,
    token: platformToken(stateDir),
    apiUrl: "",
    caCertificate: "",
    apiPort: options.port ?? 0,
    aksLocalAccounts: options.aksLocalAccounts ?? true,
    database: options.database ?? false,
    log: options.log ?? (() => {}),
  };
  const components = platformComponents(options);
  const started: Component[] = [];
  const stop = async () => {
    for (const component of started.reverse()) {
      try {
        await component.stop();
      } catch (error) {
        context.log(
          `stopping ${component.name} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    started.length = 0;
    store.close();
  };
  try {
    for (const component of components) {
      await component.start(context);
      started.push(component);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const kubeconfigPath = join(stateDir, "kubeconfig");
  writeFileSync(kubeconfigPath, kubeconfigYaml(context.apiUrl, context.token, context.caCertificate), {
    mode: 0o600,
  });
  chmodSync(kubeconfigPath, 0o600);
  return {
    url: context.apiUrl,
    token: context.token,
    kubeconfigPath,
    store,
    context,
    components: components.map((c) => c.name),
    stop,
  };
}
