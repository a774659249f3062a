import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { formatProblem } from "../lib/report/problem.ts";
import { parseInputs } from "./context.ts";

test("parseInputs gives the defaults for a bare url", async () => {
  const parsed = await parseInputs({ url: "https://jobs.example.test" });
  assert.ok(parsed.ok);
  assert.equal(parsed.config.url.href, "https://jobs.example.test/");
  assert.deepEqual(parsed.config.latency, {
    path: "/healthz",
    load: { kind: "duration", ms: 10_000 },
    concurrency: 4,
  });
  assert.deepEqual(parsed.config.thresholds, { p95Ms: 500, errorRate: 0.01 });
  assert.equal(parsed.config.minCertDays, 14);
  assert.equal(parsed.config.readyTimeoutMs, 120_000);
  assert.equal(parsed.config.requestTimeoutMs, 10_000);
  assert.equal(parsed.config.httpsRedirectPort, undefined);
  assert.equal(parsed.config.verdict, undefined);
  assert.deepEqual(parsed.config.checks, []);
});

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: local, cluster: { server: "https://127.0.0.1:6443" } }]
users: [{ name: me, user: { token: "t0ken" } }]
contexts: [{ name: local, context: { cluster: local, user: me } }]
current-context: local
`;

async function kubeconfigFile(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "smoke-context-")), "kubeconfig");
  await writeFile(path, KUBECONFIG);
  return path;
}

test("parseInputs reads connect-to, load shape, thresholds and the verdict target", async () => {
  const kubeconfig = await kubeconfigFile();
  const parsed = await parseInputs({
    url: "https://jobs.example.test:8443/api",
    "connect-to": "[::1]:9443",
    requests: "300",
    concurrency: "16",
    rate: "250",
    "max-p50-ms": "20",
    "max-p99-ms": "900",
    "max-max-ms": "2000",
    "max-error-rate": "0",
    "check-https-redirect": "true",
    "http-port": "8080",
    "ready-timeout": "30s",
    deployment: "cloudjobhunt-api",
    namespace: "prod",
    kubeconfig,
    context: "local",
  });
  assert.ok(parsed.ok);
  const { config } = parsed;
  assert.deepEqual(config.connectTo, { host: "::1", port: 9443 });
  assert.deepEqual(config.latency, {
    path: "/healthz",
    load: { kind: "requests", count: 300 },
    concurrency: 16,
    rate: 250,
  });
  assert.deepEqual(config.thresholds, { p50Ms: 20, p95Ms: 500, p99Ms: 900, maxMs: 2000, errorRate: 0 });
  assert.equal(config.httpsRedirectPort, 8080);
  assert.equal(config.readyTimeoutMs, 30_000);
  assert.deepEqual(config.verdict, {
    deployment: "cloudjobhunt-api",
    namespace: "prod",
    cluster: { kind: "kubeconfig", path: kubeconfig, context: "local" },
  });
});

test("parseInputs lists every problem at once, each naming its input or file line", async () => {
  const dir = await mkdtemp(join(tmpdir(), "smoke-context-"));
  const notPem = join(dir, "ca.crt");
  await writeFile(notPem, "not a certificate");
  const checks = join(dir, "checks.yaml");
  await writeFile(
    checks,
    "checks:\n  - name: h\n    path: /healthz\n    retries: 2\n    expect: { status: 200 }\n",
  );
  const parsed = await parseInputs({
    url: "https//jobs.example.test",
    "connect-to": "127.0.0.1:99999",
    "ca-file": notPem,
    checks,
    "max-p95-ms": "-5",
    "max-error-rate": "2",
    duration: "soon",
    requests: "10",
    concurrency: "0",
    "min-cert-days": "-1",
    "check-https-redirect": "yes",
    namespace: "prod",
  });
  assert.ok(!parsed.ok);
  assert.deepEqual(parsed.problems.map(formatProblem), [
    'input url: "https//jobs.example.test" is not a URL (e.g. https://jobs.example.com)',
    'input connect-to: "127.0.0.1:99999" is not address[:port] (e.g. 127.0.0.1:8443 or [::1]:8443)',
    `input ca-file: ${notPem} holds no PEM certificate`,
    `${checks}:4 checks[0].retries: unknown field`,
    "input duration: given with requests (give one of them)",
    'input duration: "soon" is not a duration (use a number with a unit: 500ms, 90s, 10m, 1h)',
    "input concurrency: 0 is out of range (must be an integer >= 1)",
    "input max-p95-ms: -5 is out of range (must be a number >= 0)",
    "input max-error-rate: 2 is out of range (must be a number >= 0 and <= 1)",
    "input min-cert-days: -1 is out of range (must be a number >= 0)",
    'input check-https-redirect: "yes" is not a boolean (use true or false)',
    "input deployment: is required when namespace, kubeconfig or the AKS inputs are given",
  ]);
});

test("parseInputs names a missing url, CA file and checks file, and a non-http url", async () => {
  const missing = await parseInputs({});
  assert.deepEqual(missing.ok ? [] : missing.problems.map(formatProblem), ["input url: is required"]);
  const parsed = await parseInputs({
    url: "ftp://jobs.example.test",
    "ca-file": "/nonexistent/ca.crt",
    checks: "/nonexistent/checks.yaml",
  });
  assert.deepEqual(parsed.ok ? [] : parsed.problems.map(formatProblem), [
    'input url: "ftp:" is not http: or https:',
    "input ca-file: cannot read /nonexistent/ca.crt: ENOENT",
    "input checks: cannot read /nonexistent/checks.yaml: ENOENT",
  ]);
});

test("parseInputs requires namespace and a way into the cluster with deployment", async () => {
  const parsed = await parseInputs({ url: "https://jobs.example.test", deployment: "Api_1" });
  assert.deepEqual(parsed.ok ? [] : parsed.problems.map(formatProblem), [
    'input deployment: "Api_1" is not a Kubernetes name',
    "input namespace: is required with deployment",
    "input kubeconfig: is required with deployment (or give resource-group and cluster-name)",
  ]);
});

test("parseInputs takes the AKS inputs and the Azure identity from the environment", async () => {
  const inputs = {
    url: "https://jobs.example.test",
    deployment: "api",
    namespace: "prod",
    "resource-group": "rg-cjh",
    "cluster-name": "aks-cjh",
  };
  const env = {
    AZURE_SUBSCRIPTION_ID: "sub-1",
    AZURE_TENANT_ID: "tenant-1",
    AZURE_CLIENT_ID: "client-1",
    AZURE_FEDERATED_TOKEN_FILE: "/var/run/token",
    AZURE_RESOURCE_MANAGER_ENDPOINT: "https://127.0.0.1:8443",
  };
  const parsed = await parseInputs(inputs, env);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.config.verdict?.cluster, {
    kind: "aks",
    resourceGroup: "rg-cjh",
    clusterName: "aks-cjh",
    subscriptionId: "sub-1",
    credential: {
      kind: "federated-token-file",
      tenantId: "tenant-1",
      clientId: "client-1",
      tokenFilePath: "/var/run/token",
    },
    armEndpoint: "https://127.0.0.1:8443",
  });
  const missing = await parseInputs(inputs, { AZURE_CLIENT_SECRET: "s" });
  assert.deepEqual(missing.ok ? [] : missing.problems.map(formatProblem), [
    "environment AZURE_TENANT_ID: is required for the client-secret Azure credential",
    "environment AZURE_CLIENT_ID: is required for the client-secret Azure credential",
    "input subscription-id: is required with the AKS inputs (or set AZURE_SUBSCRIPTION_ID)",
  ]);
});

test("parseInputs checks the kubeconfig before anything is sent", async () => {
  const kubeconfig = await kubeconfigFile();
  const parsed = await parseInputs({
    url: "https://jobs.example.test",
    deployment: "api",
    namespace: "prod",
    kubeconfig,
    context: "elsewhere",
  });
  assert.deepEqual(parsed.ok ? [] : parsed.problems.map(formatProblem), [
    `input context: no context "elsewhere" in ${kubeconfig} (contexts: local)`,
  ]);
});
