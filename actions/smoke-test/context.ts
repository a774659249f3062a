import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import type { ClusterAccess } from "../aks-deploy/context.ts";
import { azureCredentialOptions } from "../lib/azure/index.ts";
import type { Env, Parsed, RawInputs } from "../lib/entry/definition.ts";
import {
  booleanInput,
  durationInput,
  type NumberRange,
  numberInput,
  requiredInput,
  stringInput,
} from "../lib/entry/inputs.ts";
import { loadKubeConfigFile } from "../lib/kube/kubeconfig-file.ts";
import type { Problem } from "../lib/report/problem.ts";
import { type CheckSpec, loadChecksFile } from "./config/checks-file.ts";

export interface ConnectTo {
  host: string;
  /** Defaults to the URL's port. */
  port?: number;
}

export type LoadShape = { kind: "requests"; count: number } | { kind: "duration"; ms: number };

export interface Thresholds {
  p50Ms?: number;
  p95Ms: number;
  p99Ms?: number;
  maxMs?: number;
  /** 0 to 1. */
  errorRate: number;
}

/** The release the verdict acts on. */
export interface VerdictTarget {
  deployment: string;
  namespace: string;
  cluster: ClusterAccess;
}

export interface SmokeConfig {
  url: URL;
  connectTo?: ConnectTo;
  /** PEM text of the CA file; the system store when absent. */
  ca?: string;
  checksFile?: string;
  checks: CheckSpec[];
  latency: { path: string; load: LoadShape; concurrency: number; rate?: number };
  thresholds: Thresholds;
  minCertDays: number;
  /** Port of the plain-HTTP listener when the redirect is to be checked. */
  httpsRedirectPort?: number;
  readyTimeoutMs: number;
  requestTimeoutMs: number;
  verdict?: VerdictTarget;
}

const DEFAULT_DURATION_MS = 10_000;
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const PORT: NumberRange = { min: 1, max: 65535, integer: true };
const COUNT: NumberRange = { min: 1, integer: true };
const MILLISECONDS: NumberRange = { min: 0 };

/**
 * Maps the action's raw inputs (GitHub's `with:` or the CLI's flags) to a typed config, listing every
 * problem at once; nothing is requested until all of them are fixed.
 */
export async function parseInputs(inputs: RawInputs, env: Env = {}): Promise<Parsed<SmokeConfig>> {
  const problems: Problem[] = [];
  const problem = (name: string, message: string, hint?: string) =>
    problems.push({ file: `input ${name}`, message, ...(hint === undefined ? {} : { hint }) });
  const optionalNumber = (name: string, range: NumberRange) =>
    stringInput(inputs, name) === undefined
      ? undefined
      : numberInput(inputs, name, Number.NaN, range, problems);

  const url = parseUrl(requiredInput(inputs, "url", problems), problem);
  const connectTo = parseConnectTo(stringInput(inputs, "connect-to"), problem);
  const caFile = stringInput(inputs, "ca-file");
  const ca = caFile === undefined ? undefined : await readCa(caFile, problem);
  if (caFile !== undefined && url?.protocol === "http:") problem("ca-file", "given for an http:// url");
  const checksFile = stringInput(inputs, "checks");
  let checks: CheckSpec[] = [];
  if (checksFile !== undefined) {
    const loaded = await loadChecksFile(checksFile);
    if (loaded.ok) checks = loaded.checks;
    else problems.push(...loaded.problems);
  }

  const latencyPath = stringInput(inputs, "latency-path") ?? "/healthz";
  if (!latencyPath.startsWith("/")) problem("latency-path", `"${latencyPath}" does not start with /`);
  const requests = optionalNumber("requests", COUNT);
  const durationGiven = stringInput(inputs, "duration") !== undefined;
  if (requests !== undefined && durationGiven) problem("duration", "given with requests", "give one of them");
  const durationMs = durationInput(inputs, "duration", DEFAULT_DURATION_MS, problems);
  const load: LoadShape =
    requests === undefined ? { kind: "duration", ms: durationMs } : { kind: "requests", count: requests };
  const concurrency = numberInput(inputs, "concurrency", 4, COUNT, problems);
  const rate = optionalNumber("rate", { min: 0.001 });

  const thresholds: Thresholds = {
    p95Ms: numberInput(inputs, "max-p95-ms", 500, MILLISECONDS, problems),
    errorRate: numberInput(inputs, "max-error-rate", 0.01, { min: 0, max: 1 }, problems),
  };
  for (const [name, key] of [
    ["max-p50-ms", "p50Ms"],
    ["max-p99-ms", "p99Ms"],
    ["max-max-ms", "maxMs"],
  ] as const) {
    const limit = optionalNumber(name, MILLISECONDS);
    if (limit !== undefined) thresholds[key] = limit;
  }
  const minCertDays = numberInput(inputs, "min-cert-days", 14, { min: 0 }, problems);
  const redirect = booleanInput(inputs, "check-https-redirect", false, problems);
  const httpPort = numberInput(inputs, "http-port", 80, PORT, problems);
  if (redirect && url?.protocol === "http:") problem("check-https-redirect", "the url is already http://");

  const config: SmokeConfig = {
    url: url ?? new URL("http://invalid"),
    checks,
    latency: { path: latencyPath, load, concurrency },
    thresholds,
    minCertDays,
    readyTimeoutMs: durationInput(inputs, "ready-timeout", 120_000, problems),
    requestTimeoutMs: durationInput(inputs, "request-timeout", 10_000, problems),
  };
  if (connectTo) config.connectTo = connectTo;
  if (ca !== undefined) config.ca = ca;
  if (checksFile !== undefined) config.checksFile = checksFile;
  if (rate !== undefined) config.latency.rate = rate;
  if (redirect) config.httpsRedirectPort = httpPort;
  const verdict = parseVerdictTarget(inputs, env, problem, problems);
  if (verdict) config.verdict = verdict;
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

type Report = (name: string, message: string, hint?: string) => void;

function parseUrl(text: string | undefined, problem: Report): URL | undefined {
  if (text === undefined) return undefined;
  const url = URL.parse(text);
  if (url === null) {
    problem("url", `"${text}" is not a URL`, "e.g. https://jobs.example.com");
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    problem("url", `"${url.protocol}" is not http: or https:`);
  } else if (url.username || url.password || url.search || url.hash) {
    problem("url", "has credentials, a query or a fragment", "give scheme, host, port and path only");
  }
  return url;
}

/** `address[:port]`, an IPv6 address in brackets (`[::1]:8443`), as curl's --resolve and --connect-to take. */
function parseConnectTo(text: string | undefined, problem: Report): ConnectTo | undefined {
  if (text === undefined) return undefined;
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::(\d+))?$/i.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (
    !host ||
    (isIP(host) === 0 && !DNS_NAME.test(host)) ||
    (port !== undefined && (port < 1 || port > 65535))
  ) {
    problem("connect-to", `"${text}" is not address[:port]`, "e.g. 127.0.0.1:8443 or [::1]:8443");
    return undefined;
  }
  return port === undefined ? { host } : { host, port };
}

async function readCa(file: string, problem: Report): Promise<string | undefined> {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch (error) {
    problem("ca-file", `cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
    return undefined;
  }
  try {
    new X509Certificate(pem);
  } catch {
    problem("ca-file", `${file} holds no PEM certificate`);
    return undefined;
  }
  return pem;
}

function parseVerdictTarget(
  inputs: RawInputs,
  env: Env,
  problem: Report,
  problems: Problem[],
): VerdictTarget | undefined {
  const deployment = stringInput(inputs, "deployment");
  const namespace = stringInput(inputs, "namespace");
  const kubeconfig = stringInput(inputs, "kubeconfig");
  const context = stringInput(inputs, "context");
  const resourceGroup = stringInput(inputs, "resource-group");
  const clusterName = stringInput(inputs, "cluster-name");
  const subscriptionId = stringInput(inputs, "subscription-id") ?? env.AZURE_SUBSCRIPTION_ID;
  if (deployment === undefined) {
    if (namespace || kubeconfig || resourceGroup || clusterName) {
      problem("deployment", "is required when namespace, kubeconfig or the AKS inputs are given");
    }
    return undefined;
  }
  let ok = true;
  const fail: Report = (...args) => {
    ok = false;
    problem(...args);
  };
  if (!K8S_NAME.test(deployment)) fail("deployment", `"${deployment}" is not a Kubernetes name`);
  if (namespace === undefined) fail("namespace", "is required with deployment");
  else if (!K8S_NAME.test(namespace)) fail("namespace", `"${namespace}" is not a Kubernetes name`);
  let cluster: ClusterAccess | undefined;
  if (kubeconfig !== undefined) {
    if (resourceGroup || clusterName)
      fail("kubeconfig", "given with resource-group/cluster-name", "give one");
    // Checked now (exit 3 before any request); run.ts loads it again with its credentials masked.
    const loaded = loadKubeConfigFile(kubeconfig, context, () => {});
    if (!loaded.ok) {
      ok = false;
      problems.push(...loaded.problems);
    }
    cluster = { kind: "kubeconfig", path: kubeconfig, ...(context === undefined ? {} : { context }) };
  } else if (resourceGroup !== undefined && clusterName !== undefined) {
    const credential = azureCredentialOptions(env);
    if (!credential.ok) {
      ok = false;
      problems.push(...credential.problems);
    }
    if (subscriptionId === undefined)
      fail("subscription-id", "is required with the AKS inputs", "or set AZURE_SUBSCRIPTION_ID");
    if (credential.ok && subscriptionId !== undefined) {
      const armEndpoint = env.AZURE_RESOURCE_MANAGER_ENDPOINT;
      cluster = {
        kind: "aks",
        resourceGroup,
        clusterName,
        subscriptionId,
        credential: credential.options,
        ...(armEndpoint ? { armEndpoint } : {}),
      };
    }
  } else {
    fail("kubeconfig", "is required with deployment", "or give resource-group and cluster-name");
  }
  return ok && cluster && namespace ? { deployment, namespace, cluster } : undefined;
}
