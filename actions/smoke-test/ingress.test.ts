import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { CoreV1Api, DiscoveryV1Api, NetworkingV1Api } from "@kubernetes/client-node";
import { startTestApp, type TestApp } from "../../server/test-support/app.ts";
import { startTestDatabase, type TestDatabase } from "../../server/test-support/postgres.ts";
import { runCli } from "../lib/entry/testing/github-runner.ts";
import { type IngressPlatform, startIngressPlatform } from "./test-support/platform.ts";

const HOST = "jobs.example.test";
const NAMESPACE = "prod";

/** A Service for the API (no selector: its EndpointSlice names the API's loopback port) and an Ingress to it. */
async function exposeThroughIngress(platform: IngressPlatform, apiUrl: URL): Promise<void> {
  const core = platform.kubeConfig.makeApiClient(CoreV1Api);
  const discovery = platform.kubeConfig.makeApiClient(DiscoveryV1Api);
  const networking = platform.kubeConfig.makeApiClient(NetworkingV1Api);
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
  await core.createNamespacedService({
    namespace: NAMESPACE,
    body: { metadata: { name: "cloudjobhunt-api" }, spec: { ports: [{ name: "http", port: 80 }] } },
  });
  await discovery.createNamespacedEndpointSlice({
    namespace: NAMESPACE,
    body: {
      metadata: {
        name: "cloudjobhunt-api-local",
        labels: { "kubernetes.io/service-name": "cloudjobhunt-api" },
      },
      addressType: "IPv4",
      ports: [{ name: "http", port: Number(apiUrl.port), protocol: "TCP" }],
      endpoints: [{ addresses: [apiUrl.hostname], conditions: { ready: true } }],
    },
  });
  await networking.createNamespacedIngress({
    namespace: NAMESPACE,
    body: {
      metadata: { name: "cloudjobhunt" },
      spec: {
        rules: [
          {
            host: HOST,
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: "cloudjobhunt-api", port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
    },
  });
}

describe("smoke-test through the local platform's Ingress over HTTPS, with its CA", () => {
  let db: TestDatabase;
  let app: TestApp;
  let platform: IngressPlatform;
  before(async () => {
    db = await startTestDatabase();
    app = await startTestApp(db.sql);
    platform = await startIngressPlatform();
    await exposeThroughIngress(platform, new URL(app.url));
  });
  after(async () => {
    await platform?.close();
    await app?.close();
    await db?.stop();
  });

  test("the CLI gates the API behind the Ingress: certificate, checks and latency pass (exit 0)", async () => {
    const run = await runCli("smoke-test", [
      "--url",
      `https://${HOST}:${platform.ingressUrl.port}`,
      "--connect-to",
      platform.ingressUrl.hostname,
      "--ca-file",
      platform.caFile,
      "--checks",
      "actions/smoke-test/checks/cloudjobhunt.yaml",
      "--requests",
      "200",
    ]);
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /certificate for jobs\.example\.test valid until \d{4}-/);
    assert.match(run.stdout, /pass 401 without a token: GET \/applications/);
    assert.match(run.stdout, /output result=passed/);
  });

  test("without the platform's CA no request gets through: readiness fails naming the chain error (exit 1)", async () => {
    const run = await runCli("smoke-test", [
      "--url",
      `https://${HOST}:${platform.ingressUrl.port}`,
      "--connect-to",
      platform.ingressUrl.hostname,
      "--requests",
      "20",
      "--ready-timeout",
      "5s",
    ]);
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(
      run.stderr,
      /error: not ready within 5000 ms: \/healthz: self-signed certificate in certificate chain\n/,
    );
  });
});
