import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { AppsV1Api, CoreV1Api, DiscoveryV1Api, NetworkingV1Api } from "@kubernetes/client-node";
import { waitUntil } from "../../local/common/testing/wait-until.ts";
import { startTestApp, type TestApp } from "../../server/testing/app.ts";
import { startTestDatabase, type TestDatabase } from "../../server/testing/postgres.ts";
import { ReleaseLedger } from "../aks-deploy/ledger/ledger.ts";
import { workload } from "../aks-deploy/testing/workloads.ts";
import { runCli } from "../lib/entry/testing/github-runner.ts";
import { type IngressPlatform, startIngressPlatform } from "./testing/platform.ts";

const HOST = "jobs.example.test";
const NAMESPACE = "prod";
const DEPLOYMENT = "cloudjobhunt-api";
const IMAGE = `127.0.0.1:5443/cloudjobhunt/api@sha256:${"a".repeat(64)}`;

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
    // The release the verdict acts on: a Deployment on the platform's simulated runtime (its traffic is
    // the real API above, behind the Service's EndpointSlice).
    const apps = platform.kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({
      namespace: NAMESPACE,
      body: workload({ name: DEPLOYMENT, namespace: NAMESPACE, image: IMAGE, replicas: 1 }),
    });
    await waitUntil("the Deployment's first ReplicaSet", async () => {
      const { items } = await apps.listNamespacedReplicaSet({ namespace: NAMESPACE });
      return items.length > 0;
    });
  });
  after(async () => {
    await platform?.close();
    await app?.close();
    await db?.stop();
  });

  const gateFlags = () => [
    "--url",
    `https://${HOST}:${platform.ingressUrl.port}`,
    "--connect-to",
    platform.ingressUrl.hostname,
    "--ca-file",
    platform.caFile,
    "--checks",
    "actions/smoke-test/checks/cloudjobhunt.yaml",
  ];

  test("the CLI gates the API behind the Ingress: certificate, checks and latency pass (exit 0)", async () => {
    const run = await runCli("smoke-test", [...gateFlags(), "--requests", "200", "--max-p95-ms", "5000"]);
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /certificate for jobs\.example\.test valid until \d{4}-/);
    assert.match(run.stdout, /pass 401 without a token: GET \/applications/);
    assert.match(run.stdout, /output result=passed/);
  });

  test("a passing gate marks the running release verified in the ledger (exit 0)", async () => {
    const run = await runCli("smoke-test", [
      ...gateFlags(),
      "--requests",
      "100",
      "--max-p95-ms",
      "5000",
      "--deployment",
      DEPLOYMENT,
      "--namespace",
      NAMESPACE,
      "--kubeconfig",
      platform.kubeconfigPath,
    ]);
    assert.equal(run.exitCode, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /output result=passed/);
    assert.match(
      run.stdout,
      /release 1 of prod\/cloudjobhunt-api \(revision 1, ReplicaSet cloudjobhunt-api-\w+\) marked verified/,
    );
    const ledger = new ReleaseLedger(platform.kubeConfig.makeApiClient(CoreV1Api), NAMESPACE, DEPLOYMENT);
    const [release] = await ledger.releases();
    assert.ok(release?.verified, JSON.stringify(release));
    assert.equal(release.target?.images[0]?.image, IMAGE);
  });

  test("a failing gate undoes the release to the last verified one through aks-deploy's rollback (exit 1)", async () => {
    // Release 2: a new template, rolled out healthy but not verified (release 1 was, by the test above).
    const apps = platform.kubeConfig.makeApiClient(AppsV1Api);
    const live = await apps.readNamespacedDeployment({ name: DEPLOYMENT, namespace: NAMESPACE });
    const template = live.spec?.template;
    assert.ok(template?.metadata);
    template.metadata.annotations = { ...template.metadata.annotations, "example.test/release": "2" };
    await apps.replaceNamespacedDeployment({ name: DEPLOYMENT, namespace: NAMESPACE, body: live });
    await waitUntil("release 2 rolled out", async () => {
      const deployment = await apps.readNamespacedDeployment({ name: DEPLOYMENT, namespace: NAMESPACE });
      const status = deployment.status;
      return (
        deployment.metadata?.annotations?.["deployment.kubernetes.io/revision"] === "2" &&
        status?.observedGeneration === deployment.metadata?.generation &&
        status?.updatedReplicas === 1 &&
        status?.availableReplicas === 1 &&
        status?.replicas === 1
      );
    });

    const run = await runCli("smoke-test", [
      ...gateFlags(),
      "--requests",
      "50",
      "--max-p95-ms",
      "0",
      "--deployment",
      DEPLOYMENT,
      "--namespace",
      NAMESPACE,
      "--kubeconfig",
      platform.kubeconfigPath,
    ]);
    assert.equal(run.exitCode, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /output result=rolled-back/);
    assert.match(run.stdout, /undone to revision 3 of prod\/cloudjobhunt-api/);
    // The controller reuses release 1's ReplicaSet (renumbered 3); the gate's failures are the change-cause.
    const after = await apps.readNamespacedDeployment({ name: DEPLOYMENT, namespace: NAMESPACE });
    assert.equal(after.metadata?.annotations?.["deployment.kubernetes.io/revision"], "3");
    assert.equal(after.spec?.template?.metadata?.annotations?.["example.test/release"], undefined);
    assert.match(
      after.metadata?.annotations?.["kubernetes.io/change-cause"] ?? "",
      /^smoke test failed: p95 /,
    );
  });

  test("an unusable kubeconfig is bad input: exit 3 before any request", async () => {
    const run = await runCli("smoke-test", [
      ...gateFlags(),
      "--deployment",
      DEPLOYMENT,
      "--namespace",
      NAMESPACE,
      "--kubeconfig",
      "/nonexistent/kubeconfig",
    ]);
    assert.equal(run.exitCode, 3, run.stdout + run.stderr);
    assert.match(run.stderr, /error: input kubeconfig \(\/nonexistent\/kubeconfig\): no such file/);
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
