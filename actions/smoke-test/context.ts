import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import { type CheckSpec, loadChecksFile } from "./config/checks-file.ts";
import { parseDuration } from "./config/duration.ts";
import { SMOKE_INPUTS } from "./inputs.ts";

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

export type ClusterAccess =
  | { kind: "kubeconfig"; path: string; context?: string }
  | { kind: "aks"; resourceGroup: string; clusterName: string; subscriptionId?: string };

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

export type RawInputs = Readonly<Record<string, string | undefined>>;
export type ParsedInputs = { ok: true; config: SmokeConfig } | { ok: false; problems: string[] };

const DEFAULT_DURATION = "10s";
const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * Maps the action's raw inputs (GitHub's `with:` or the CLI's flags; empty means unset) to a typed config,
 * listing every problem at once so that nothing is requested until all of them are fixed.
 */
export async function parseInputs(raw: RawInputs): Promise<ParsedInputs> {
  const problems: string[] = [];
  const known = new Set(SMOKE_INPUTS.map((i) => i.name));
  for (const name of Object.keys(raw)) if (!known.has(name)) problems.push(`${name}: unknown input`);
  const value = (name: string): string | undefined => {
    const given = raw[name]?.trim();
    return given === undefined || given === "" ? SMOKE_INPUTS.find((i) => i.name === name)?.default : given;
  };
  const number = (name: string, rule: (n: number) => boolean, what: string): number | undefined => {
    const text = value(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!Number.isFinite(n) || !rule(n)) {
      problems.push(`${name}: must be ${what}, got "${text}"`);
      return undefined;
    }
    return n;
  };
  const positiveInt = (name: string) =>
    number(name, (n) => Number.isInteger(n) && n > 0, "a positive integer");
  const positive = (name: string) => number(name, (n) => n > 0, "a number above 0");
  const duration = (name: string): number | undefined => {
    const text = value(name);
    if (text === undefined) return undefined;
    const ms = parseDuration(text);
    if (ms === undefined || ms <= 0)
      problems.push(`${name}: must be a duration such as 90s or 2m, got "${text}"`);
    return ms;
  };

  const url = parseUrl(value("url"), problems);
  const connectTo = parseConnectTo(value("connect-to"), problems);
  const caFile = value("ca-file");
  const ca = caFile === undefined ? undefined : await readCa(caFile, problems);
  if (ca !== undefined && url?.protocol === "http:") problems.push("ca-file: given for an http:// url");
  const checksFile = value("checks");
  let checks: CheckSpec[] = [];
  if (checksFile !== undefined) {
    const loaded = await loadChecksFile(checksFile);
    if (loaded.ok) checks = loaded.checks;
    else problems.push(...loaded.problems);
  }

  const latencyPath = value("latency-path") ?? "/healthz";
  if (!latencyPath.startsWith("/")) problems.push(`latency-path: must start with /, got "${latencyPath}"`);
  const requests = positiveInt("requests");
  if (raw.requests?.trim() && raw.duration?.trim()) problems.push("duration, requests: give one, not both");
  const load: LoadShape =
    requests !== undefined
      ? { kind: "requests", count: requests }
      : { kind: "duration", ms: duration("duration") ?? parseDuration(DEFAULT_DURATION) ?? 0 };
  const concurrency = positiveInt("concurrency") ?? 1;
  const rate = positive("rate");

  const thresholds: Thresholds = {
    p95Ms: positive("max-p95-ms") ?? 500,
    errorRate: number("max-error-rate", (n) => n >= 0 && n <= 1, "a share from 0 to 1") ?? 0.01,
  };
  for (const [input, key] of [
    ["max-p50-ms", "p50Ms"],
    ["max-p99-ms", "p99Ms"],
    ["max-max-ms", "maxMs"],
  ] as const) {
    const limit = positive(input);
    if (limit !== undefined) thresholds[key] = limit;
  }
  const minCertDays = number("min-cert-days", (n) => n >= 0, "0 or more days") ?? 14;
  const redirect = parseBoolean("check-https-redirect", value("check-https-redirect"), problems);
  const httpPort = number("http-port", isPort, "a port from 1 to 65535");
  if (redirect && url?.protocol === "http:")
    problems.push("check-https-redirect: the url is already http://");

  const config: SmokeConfig = {
    url: url ?? new URL("http://invalid"),
    checks,
    latency: { path: latencyPath, load, concurrency },
    thresholds,
    minCertDays,
    readyTimeoutMs: duration("ready-timeout") ?? 0,
    requestTimeoutMs: duration("request-timeout") ?? 0,
  };
  if (connectTo) config.connectTo = connectTo;
  if (ca !== undefined) config.ca = ca;
  if (checksFile !== undefined) config.checksFile = checksFile;
  if (rate !== undefined) config.latency.rate = rate;
  if (redirect && httpPort !== undefined) config.httpsRedirectPort = httpPort;
  const verdict = parseVerdictTarget(value, problems);
  if (verdict) config.verdict = verdict;
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

function parseUrl(text: string | undefined, problems: string[]): URL | undefined {
  if (text === undefined) {
    problems.push("url: required");
    return undefined;
  }
  if (!URL.canParse(text)) {
    problems.push(`url: not a URL: "${text}"`);
    return undefined;
  }
  const url = new URL(text);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    problems.push(`url: must be http:// or https://, got "${url.protocol}"`);
  } else if (url.username || url.password || url.search || url.hash) {
    problems.push("url: give scheme, host, port and path only (no credentials, query or fragment)");
  }
  return url;
}

/** `address[:port]`, an IPv6 address in brackets (`[::1]:8443`), as curl's --resolve and --connect-to take. */
function parseConnectTo(text: string | undefined, problems: string[]): ConnectTo | undefined {
  if (text === undefined) return undefined;
  const match = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::(\d+))?$/i.exec(text);
  const host = match?.[1] ?? match?.[2];
  const port = match?.[3] === undefined ? undefined : Number(match[3]);
  if (!host || (isIP(host) === 0 && !DNS_NAME.test(host)) || (port !== undefined && !isPort(port))) {
    problems.push(`connect-to: must be address[:port], e.g. 127.0.0.1:8443 or [::1]:8443, got "${text}"`);
    return undefined;
  }
  return port === undefined ? { host } : { host, port };
}

async function readCa(file: string, problems: string[]): Promise<string | undefined> {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch (error) {
    problems.push(`ca-file: cannot read ${file}: ${(error as NodeJS.ErrnoException).code}`);
    return undefined;
  }
  try {
    new X509Certificate(pem);
  } catch {
    problems.push(`ca-file: ${file} holds no PEM certificate`);
    return undefined;
  }
  return pem;
}

function parseBoolean(name: string, text: string | undefined, problems: string[]): boolean {
  if (text === undefined || text === "false") return false;
  if (text === "true") return true;
  problems.push(`${name}: must be true or false, got "${text}"`);
  return false;
}

function parseVerdictTarget(
  value: (name: string) => string | undefined,
  problems: string[],
): VerdictTarget | undefined {
  const deployment = value("deployment");
  const namespace = value("namespace");
  const kubeconfig = value("kubeconfig");
  const resourceGroup = value("resource-group");
  const clusterName = value("cluster-name");
  if (deployment === undefined) {
    if (namespace || kubeconfig || resourceGroup || clusterName) {
      problems.push("deployment: required when namespace, kubeconfig or the AKS inputs are given");
    }
    return undefined;
  }
  const before = problems.length;
  if (!K8S_NAME.test(deployment)) problems.push(`deployment: not a Kubernetes name: "${deployment}"`);
  if (namespace === undefined) problems.push("namespace: required with deployment");
  else if (!K8S_NAME.test(namespace)) problems.push(`namespace: not a Kubernetes name: "${namespace}"`);
  let cluster: ClusterAccess | undefined;
  if (kubeconfig !== undefined) {
    if (resourceGroup || clusterName)
      problems.push("kubeconfig, resource-group/cluster-name: give one way in");
    const context = value("context");
    cluster =
      context === undefined
        ? { kind: "kubeconfig", path: kubeconfig }
        : { kind: "kubeconfig", path: kubeconfig, context };
  } else if (resourceGroup && clusterName) {
    const subscriptionId = value("subscription-id");
    cluster =
      subscriptionId === undefined
        ? { kind: "aks", resourceGroup, clusterName }
        : { kind: "aks", resourceGroup, clusterName, subscriptionId };
  } else {
    problems.push("kubeconfig: required with deployment (or resource-group and cluster-name)");
  }
  if (problems.length > before || cluster === undefined || namespace === undefined) return undefined;
  return { deployment, namespace, cluster };
}

function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
