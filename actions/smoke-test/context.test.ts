import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
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
  assert.equal(parsed.config.httpsRedirectPort, undefined);
  assert.equal(parsed.config.verdict, undefined);
  assert.deepEqual(parsed.config.checks, []);
});

test("parseInputs reads connect-to, load shape, thresholds and the verdict target", async () => {
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
    deployment: "cloudjobhunt-api",
    namespace: "prod",
    kubeconfig: "/tmp/kubeconfig",
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
  assert.deepEqual(config.verdict, {
    deployment: "cloudjobhunt-api",
    namespace: "prod",
    cluster: { kind: "kubeconfig", path: "/tmp/kubeconfig", context: "local" },
  });
});

test("parseInputs lists every problem at once", async () => {
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
    colour: "blue",
  });
  assert.deepEqual(parsed, {
    ok: false,
    problems: [
      "colour: unknown input",
      'url: not a URL: "https//jobs.example.test"',
      'connect-to: must be address[:port], e.g. 127.0.0.1:8443 or [::1]:8443, got "127.0.0.1:99999"',
      `ca-file: ${notPem} holds no PEM certificate`,
      `${checks}:4:5: checks[0].retries: unknown field`,
      "duration, requests: give one, not both",
      'concurrency: must be a positive integer, got "0"',
      'max-p95-ms: must be a number above 0, got "-5"',
      'max-error-rate: must be a share from 0 to 1, got "2"',
      'min-cert-days: must be 0 or more days, got "-1"',
      'check-https-redirect: must be true or false, got "yes"',
      "deployment: required when namespace, kubeconfig or the AKS inputs are given",
    ],
  });
});

test("parseInputs names a missing CA file, a missing checks file and a non-http url", async () => {
  const parsed = await parseInputs({
    url: "ftp://jobs.example.test",
    "ca-file": "/nonexistent/ca.crt",
    checks: "/nonexistent/checks.yaml",
  });
  assert.deepEqual(parsed, {
    ok: false,
    problems: [
      'url: must be http:// or https://, got "ftp:"',
      "ca-file: cannot read /nonexistent/ca.crt: ENOENT",
      "checks: cannot read /nonexistent/checks.yaml: ENOENT",
    ],
  });
});

test("parseInputs requires namespace and a way into the cluster with deployment", async () => {
  const parsed = await parseInputs({ url: "https://jobs.example.test", deployment: "Api_1" });
  assert.deepEqual(parsed, {
    ok: false,
    problems: [
      'deployment: not a Kubernetes name: "Api_1"',
      "namespace: required with deployment",
      "kubeconfig: required with deployment (or resource-group and cluster-name)",
    ],
  });
});

test("parseInputs takes the AKS inputs for the verdict target", async () => {
  const parsed = await parseInputs({
    url: "https://jobs.example.test",
    deployment: "api",
    namespace: "prod",
    "resource-group": "rg-cjh",
    "cluster-name": "aks-cjh",
  });
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.config.verdict?.cluster, {
    kind: "aks",
    resourceGroup: "rg-cjh",
    clusterName: "aks-cjh",
  });
});
