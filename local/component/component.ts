// The contract between the platform's parts and its assembly (local/platform/): a component is started
// with the platform's context and stopped in reverse order. Every area's `component.ts` implements it; this
// folder imports no area and no assembly, so any area may import it.

import type { Pod } from "../kube/api/kinds.ts";
import type { Clock } from "../kube/clock/clock.ts";
import type { MemoryStore } from "../kube/store/memory-store.ts";

export type RuntimeName = "simulated" | "docker";

/** The Docker runtime's pod network: a bridge of its own and the pods' subnet. */
export interface PodNetworkSettings {
  bridge: string;
  cidr: string;
}

export interface PodLogOptions {
  container: string;
  tailLines?: number;
  previous?: boolean;
}

/** Whoever runs pods (the kubelet) serves `kubectl logs` through this; the API server asks it. */
export interface PodLogSource {
  /** The container's log; throws an Error whose message the client sees (400) when there is none. */
  logs(pod: Pod, options: PodLogOptions): Promise<string>;
}

export interface PlatformContext {
  /** The folder all state lives under (store, logs, kubeconfig, token). */
  readonly stateDir: string;
  readonly store: MemoryStore;
  readonly clock: Clock;
  readonly runtime: RuntimeName;
  /** Pod network of the Docker runtime (the assembly's default: cjh0, 10.244.0.0/24). */
  readonly podNetwork: PodNetworkSettings;
  /** The bearer token of the API server (never log it). */
  readonly token: string;
  /** The API server's URL; set by the api-server component, which starts first. */
  apiUrl: string;
  /** PEM of the CA that signed the API server's certificate (kubeconfig certificate-authority-data). */
  caCertificate: string;
  /** Loopback port the API server listens on (0 picks a free port). */
  readonly apiPort: number;
  log(message: string): void;
  /** Set by the component that runs pods (the kubelet): serves `kubectl logs`. */
  podLogs?: PodLogSource;
  /** Start the database component (PostgreSQL for the pods, local/database/). */
  readonly database: boolean;
  /** AKS local accounts (default true); off plays an AAD cluster (see local/azure/aks-aad.ts). */
  readonly aksLocalAccounts: boolean;
  /**
   * Bearer tokens the API server accepts besides `token`: set by the Azure component when AKS local
   * accounts are off (AAD tokens for the AKS server application).
   */
  bearerTokenAuthenticator?: (token: string) => Promise<boolean>;
}

export interface Component {
  readonly name: string;
  start(context: PlatformContext): Promise<void>;
  stop(): Promise<void>;
}
