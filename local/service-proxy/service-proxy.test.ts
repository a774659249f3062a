import assert from "node:assert/strict";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, get, type Server } from "node:http";
import { connect, createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { waitUntil } from "../common/testing/wait-until.ts";
import type { KubeObject } from "../kube/api/meta.ts";
import { MemoryStore } from "../kube/store/memory-store.ts";
import { IpAllocator } from "../network/ip-allocator.ts";
import { parseSubnet } from "../network/subnet.ts";
import { ServiceProxy, serviceAddressRange } from "./service-proxy.ts";

const services = { group: "", version: "v1", resource: "services" };
const endpointSlices = { group: "discovery.k8s.io", version: "v1", resource: "endpointslices" };

// Three "pods": HTTP servers on their own loopback addresses, same port, as pods share a containerPort.
const podAddresses = ["127.20.0.1", "127.20.0.2", "127.20.0.3"];

function httpGet(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    get({ host, port, path: "/", agent: false, timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

function slice(
  name: string,
  endpoints: { address: string; ready: boolean; terminating?: boolean }[],
  port: number,
): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name, namespace: "default", labels: { "kubernetes.io/service-name": "web" } },
    addressType: "IPv4",
    ports: [{ name: "http", port, protocol: "TCP" }],
    endpoints: endpoints.map((endpoint) => ({
      addresses: [endpoint.address],
      conditions: {
        ready: endpoint.ready,
        serving: endpoint.ready,
        terminating: endpoint.terminating ?? false,
      },
    })),
  };
}

describe("ServiceProxy", () => {
  const stateDir = mkdtempSync(join(tmpdir(), "cjh-proxy-"));
  const store = new MemoryStore();
  const proxy = new ServiceProxy({ store, stateDir });
  const pods: Server[] = [];
  let podPort = 0;

  before(async () => {
    const first = createHttpServer((_req, res) => res.end(podAddresses[0]));
    first.listen(0, podAddresses[0]);
    await once(first, "listening");
    const address = first.address();
    assert.ok(address && typeof address === "object");
    podPort = address.port;
    pods.push(first);
    for (const host of podAddresses.slice(1)) {
      const server = createHttpServer((_req, res) => res.end(host));
      server.listen(podPort, host);
      await once(server, "listening");
      pods.push(server);
    }
    await proxy.start();
  });

  after(async () => {
    await proxy.close();
    for (const pod of pods) pod.close();
    rmSync(stateDir, { recursive: true, force: true });
  });

  test("a LoadBalancer Service gets a loopback address and balances across its ready endpoints only", async () => {
    store.create(services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web", namespace: "default" },
      spec: {
        type: "LoadBalancer",
        selector: { app: "web" },
        ports: [{ name: "http", port: 8081, targetPort: "http" }],
      },
    });
    store.create(
      endpointSlices,
      slice(
        "web-a",
        [
          { address: podAddresses[0] ?? "", ready: true },
          { address: podAddresses[1] ?? "", ready: true },
          { address: podAddresses[2] ?? "", ready: false, terminating: true },
        ],
        podPort,
      ),
    );
    const ip = await waitUntil("the load balancer address", () => {
      const service = store.get(services, "default", "web") as {
        status?: { loadBalancer?: { ingress?: { ip: string }[] } };
      };
      return service?.status?.loadBalancer?.ingress?.[0]?.ip;
    });
    assert.match(ip, /^127\.10\.\d+\.\d+$/);
    const spec = store.get(services, "default", "web")?.spec as { clusterIP: string; clusterIPs: string[] };
    assert.equal(spec.clusterIP, ip);
    assert.deepEqual(spec.clusterIPs, [ip]);
    assert.deepEqual(proxy.addressOf("default", "web", "http"), { host: ip, port: 8081 });

    const answers = new Map<string, number>();
    for (let i = 0; i < 20; i++) {
      const body = await httpGet(ip, 8081);
      answers.set(body, (answers.get(body) ?? 0) + 1);
    }
    // Round-robin over the two ready pods; the terminating one gets nothing.
    assert.deepEqual(Object.fromEntries(answers), {
      [podAddresses[0] ?? ""]: 10,
      [podAddresses[1] ?? ""]: 10,
    });
  });

  test("a pod that turns terminating gets no new connection from then on; no endpoint refuses", async () => {
    const current = store.get(endpointSlices, "default", "web-a");
    assert.ok(current);
    store.update(endpointSlices, {
      ...slice(
        "web-a",
        [
          { address: podAddresses[0] ?? "", ready: false, terminating: true },
          { address: podAddresses[1] ?? "", ready: true },
        ],
        podPort,
      ),
      metadata: current.metadata,
    });
    const ip = proxy.addressOf("default", "web", 8081)?.host ?? "";
    for (let i = 0; i < 6; i++) assert.equal(await httpGet(ip, 8081), podAddresses[1]);

    const again = store.get(endpointSlices, "default", "web-a");
    assert.ok(again);
    store.update(endpointSlices, { ...slice("web-a", [], podPort), metadata: again.metadata });
    await assert.rejects(httpGet(ip, 8081), /ECONNRESET|socket hang up/);
  });

  test("half-closed connections still get the whole answer", async () => {
    // An echo-after-end server: answers only once the client finished sending.
    const echo = createTcpServer({ allowHalfOpen: true }, (socket) => {
      let received = 0;
      socket.on("data", (chunk: Buffer) => (received += chunk.length));
      socket.on("end", () => socket.end(`received ${received} bytes`));
    });
    echo.listen(0, "127.20.0.9");
    await once(echo, "listening");
    const address = echo.address();
    assert.ok(address && typeof address === "object");
    store.create(services, {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "echo", namespace: "default" },
      spec: { ports: [{ port: 9000 }] },
    });
    store.create(endpointSlices, {
      ...slice("echo-a", [{ address: "127.20.0.9", ready: true }], address.port),
      metadata: { name: "echo-a", namespace: "default", labels: { "kubernetes.io/service-name": "echo" } },
      ports: [{ port: address.port, protocol: "TCP" }],
    });
    const target = await waitUntil("the echo service", async () => {
      await proxy.settled();
      return proxy.addressOf("default", "echo", 9000);
    });
    const socket = connect({ host: target.host, port: target.port, allowHalfOpen: true });
    socket.end("x".repeat(100_000));
    let reply = "";
    socket.on("data", (chunk) => (reply += chunk));
    await once(socket, "end");
    assert.equal(reply, "received 100000 bytes");
    echo.close();

    // A deleted Service's listener goes away; a restarted proxy gives a Service back the same address.
    store.delete(services, "default", "echo");
    await waitUntil("the listener to close", async () => {
      await proxy.settled();
      return proxy.addressOf("default", "echo", 9000) === undefined ? true : undefined;
    });
    await assert.rejects(httpGet(target.host, target.port), /ECONNREFUSED/);
    const webAddress = proxy.addressOf("default", "web", 8081);
    await proxy.close();
    const restarted = new ServiceProxy({ store, stateDir });
    await restarted.start();
    assert.deepEqual(restarted.addressOf("default", "web", 8081), webAddress);
    await restarted.close();
    await proxy.start();
  });
});

describe("ServiceProxy beside another platform", () => {
  test("an address another process already serves on that port is set aside; the Service gets the next", async () => {
    const stateDir = mkdtempSync(join(tmpdir(), "cjh-proxy-taken-"));
    const store = new MemoryStore();
    const proxy = new ServiceProxy({ store, stateDir });
    // What a fresh proxy hands out first, served by someone else (another platform's Service).
    const first = new IpAllocator(parseSubnet(serviceAddressRange), join(stateDir, "probe.json")).allocate(
      "x",
    );
    const other = createTcpServer((socket) => socket.end("other platform"));
    other.listen(0, first);
    await once(other, "listening");
    const address = other.address();
    assert.ok(address && typeof address === "object");
    try {
      await proxy.start();
      store.create(services, {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "taken", namespace: "default" },
        spec: { type: "LoadBalancer", selector: { app: "x" }, ports: [{ port: address.port }] },
      });
      const ingress = await waitUntil("the Service's address", () => {
        const current = store.get(services, "default", "taken") as {
          status?: { loadBalancer?: { ingress?: { ip: string }[] } };
        };
        return current?.status?.loadBalancer?.ingress?.[0]?.ip;
      });
      assert.notEqual(ingress, first);
      assert.deepEqual(proxy.addressOf("default", "taken", address.port), {
        host: ingress,
        port: address.port,
      });
      // The proxy listens there (with no endpoint it resets the connection, as kube-proxy's REJECT).
      const outcome = await new Promise<string>((resolve) => {
        const socket = connect(address.port, ingress);
        socket.on("connect", () => {
          resolve("connected");
          socket.destroy();
        });
        socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
      });
      assert.ok(outcome === "connected" || outcome === "ECONNRESET", outcome);
    } finally {
      await proxy.close();
      other.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
