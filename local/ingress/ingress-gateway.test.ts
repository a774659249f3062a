import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { MemoryStore } from "../kube/store/memory-store.ts";
import { ServiceProxy } from "../service-proxy/service-proxy.ts";
import { caCertPath } from "../tls/local-ca.ts";
import { IngressGateway } from "./ingress-gateway.ts";

const services = { group: "", version: "v1", resource: "services" };
const endpointSlices = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };
const ingresses = { group: "networking.k8s.io", version: "v1", resource: "ingresses" };

interface Answer {
  status: number;
  body: string;
}

describe("IngressGateway", () => {
  const home = mkdtempSync(join(tmpdir(), "cjh-ingress-"));
  const store = new MemoryStore();
  const proxy = new ServiceProxy({ store, stateDir: home });
  const gateway = new IngressGateway({ store, services: proxy, home });
  let port = 0;
  let ca = "";
  let pod: Server;

  function get(host: string, path: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      request(
        { host: "127.0.0.1", port, path, servername: host, headers: { host }, ca, agent: false },
        (res) => {
          let body = "";
          res.on("data", (chunk) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      )
        .on("error", reject)
        .end();
    });
  }

  before(async () => {
    // One "pod": answers with what it was asked and the forwarding headers it received.
    pod = createServer((req, res) =>
      res.end(`${req.url} host=${req.headers.host} proto=${req.headers["x-forwarded-proto"]}`),
    );
    pod.listen(0, "127.21.0.1");
    await once(pod, "listening");
    const address = pod.address();
    assert.ok(address && typeof address === "object");
    store.create(
      { group: "", version: "v1", resource: "namespaces" },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } },
    );
    store.create(services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "api", namespace: "prod" },
      spec: { ports: [{ name: "http", port: 80, targetPort: "http" }] },
    });
    store.create(endpointSlices, {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "api-a", namespace: "prod", labels: { "kubernetes.io/service-name": "api" } },
      addressType: "IPv4",
      ports: [{ name: "http", port: address.port, protocol: "TCP" }],
      endpoints: [{ addresses: ["127.21.0.1"], conditions: { ready: true } }],
    });
    store.create(ingresses, {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "site", namespace: "prod" },
      spec: {
        rules: [
          {
            host: "jobs.example.test",
            http: {
              paths: [
                {
                  path: "/api",
                  pathType: "Prefix",
                  backend: { service: { name: "api", port: { name: "http" } } },
                },
                {
                  path: "/gone",
                  pathType: "Prefix",
                  backend: { service: { name: "missing", port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
    });
    await proxy.start();
    port = await gateway.start();
    ca = readFileSync(caCertPath(home), "utf8");
  });

  after(async () => {
    await gateway.close();
    await proxy.close();
    pod.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("serves https://<host>/... with a certificate for that host from the local CA, routed to the Service", async () => {
    assert.deepEqual(await get("jobs.example.test", "/api/postings?q=node"), {
      status: 200,
      body: "/api/postings?q=node host=jobs.example.test proto=https",
    });
  });

  test("answers 404 where no rule matches and 503 for a Service that does not exist", async () => {
    assert.deepEqual(await get("jobs.example.test", "/other"), {
      status: 404,
      body: "default backend - 404\n",
    });
    assert.deepEqual(await get("elsewhere.example.test", "/api"), {
      status: 404,
      body: "default backend - 404\n",
    });
    assert.deepEqual(await get("jobs.example.test", "/gone"), {
      status: 503,
      body: "service prod/missing has no address\n",
    });
  });
});
