// kube-proxy for the local platform. Every Service (but headless ones) gets a virtual address of its own
// on loopback, 127.10.x.y (any 127/8 address can be bound on Linux without configuration), kept across
// restarts in the state folder. It is written to spec.clusterIP/clusterIPs when the Service has none, and
// for type LoadBalancer to status.loadBalancer.ingress. A TCP listener per service port balances new
// connections round-robin across the ready endpoints of its EndpointSlices.
// These addresses are reachable from the host only: a pod reaches host services on the bridge address.

import { once } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import type { V1Service, V1ServicePort } from "@kubernetes/client-node";
import type { KubeObject } from "../kube/api/meta.ts";
import type { ObjectStore } from "../kube/store/object-store.ts";
import { StoreError } from "../kube/store/object-store.ts";
import { IpAllocator } from "../network/ip-allocator.ts";
import { parseSubnet } from "../network/subnet.ts";
import { readyBackends } from "./endpoints.ts";
import { type Backend, forward } from "./tcp-forward.ts";

const services = { group: "", version: "v1", resource: "services" };
export const serviceAddressRange = "127.10.0.0/16";

export interface ServiceProxyOptions {
  store: ObjectStore;
  stateDir: string;
}

interface Listener {
  server: Server;
  sockets: Set<Socket>;
}

export class ServiceProxy {
  private readonly store: ObjectStore;
  private readonly addresses: IpAllocator;
  /** "namespace/name" -> "address:port" -> listener */
  private readonly listeners = new Map<string, Map<string, Listener>>();
  private readonly turn = new Map<string, number>();
  private stopWatch: (() => void) | undefined;
  private pending: Promise<void> = Promise.resolve();

  constructor(options: ServiceProxyOptions) {
    this.store = options.store;
    this.addresses = new IpAllocator(
      parseSubnet(serviceAddressRange),
      join(options.stateDir, "service-ips.json"),
    );
  }

  async start(): Promise<void> {
    const listed = this.store.list(services);
    this.stopWatch = this.store.watch(services, { resourceVersion: listed.resourceVersion }, (event) => {
      this.enqueue(() => (event.type === "DELETED" ? this.remove(event.object) : this.sync(event.object)));
    });
    for (const service of listed.items) this.enqueue(() => this.sync(service));
    await this.pending;
  }

  /** Where the proxy serves a Service port (by number or name), for the ingress and for tests. */
  addressOf(namespace: string, name: string, port: number | string): Backend | undefined {
    const service = this.store.get(services, namespace, name) as V1Service | undefined;
    const address = this.addresses.addressOf(`${namespace}/${name}`);
    const servicePort = service?.spec?.ports?.find(
      (candidate) => candidate.port === port || candidate.name === port,
    );
    if (!address || !servicePort) return undefined;
    return { host: address, port: servicePort.port };
  }

  /** Resolves once every change seen so far is applied (listeners open or closed). */
  settled(): Promise<void> {
    return this.pending;
  }

  async close(): Promise<void> {
    this.stopWatch?.();
    await this.pending;
    for (const key of [...this.listeners.keys()]) await this.closeListeners(key, new Set());
  }

  private enqueue(work: () => Promise<void>): void {
    this.pending = this.pending.then(work).catch((error: unknown) => {
      console.error(`service proxy: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private async sync(object: KubeObject): Promise<void> {
    const service = object as V1Service & KubeObject;
    const namespace = service.metadata.namespace ?? "default";
    const name = service.metadata.name ?? "";
    const key = `${namespace}/${name}`;
    if (service.spec?.clusterIP === "None" || service.spec?.type === "ExternalName") {
      await this.closeListeners(key, new Set());
      return;
    }
    const address = this.addresses.allocate(key);
    const ports = (service.spec?.ports ?? []).filter((port) => (port.protocol ?? "TCP") === "TCP");
    const wanted = new Map(ports.map((port) => [`${address}:${port.port}`, port]));
    await this.closeListeners(key, new Set(wanted.keys()));
    const open = this.listeners.get(key) ?? new Map<string, Listener>();
    this.listeners.set(key, open);
    for (const [endpoint, port] of wanted) {
      if (open.has(endpoint)) continue;
      try {
        open.set(endpoint, await this.listen(address, namespace, name, port));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE" || open.size > 0) throw error;
        // Another platform on this machine (another state folder) serves this address: set it aside for
        // good and give the Service the next one.
        this.addresses.transfer(key, `(in use outside this platform) ${address}`);
        return this.sync(object);
      }
    }
    this.publishAddress(service, address);
  }

  private async remove(object: KubeObject): Promise<void> {
    const key = `${object.metadata.namespace ?? "default"}/${object.metadata.name ?? ""}`;
    await this.closeListeners(key, new Set());
    this.addresses.release(key);
  }

  private async listen(
    address: string,
    namespace: string,
    name: string,
    port: V1ServicePort,
  ): Promise<Listener> {
    const sockets = new Set<Socket>();
    const turnKey = `${namespace}/${name}:${port.port}`;
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (client) => {
      sockets.add(client);
      client.on("close", () => sockets.delete(client));
      const backends = readyBackends(this.store, namespace, name, port);
      const start = this.turn.get(turnKey) ?? 0;
      this.turn.set(turnKey, start + 1);
      // Round-robin: this connection's backend first, the others as fallbacks if it refuses.
      const rotated = backends.map((_, index) => backends[(start + index) % backends.length] as Backend);
      void forward(client, rotated);
    });
    server.listen(port.port, address);
    await once(server, "listening");
    return { server, sockets };
  }

  private async closeListeners(key: string, keep: Set<string>): Promise<void> {
    const open = this.listeners.get(key);
    if (!open) return;
    for (const [endpoint, listener] of open) {
      if (keep.has(endpoint)) continue;
      open.delete(endpoint);
      for (const socket of listener.sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.server.close(() => resolve()));
    }
    if (open.size === 0) this.listeners.delete(key);
  }

  /** spec.clusterIP when the Service has none; status.loadBalancer.ingress for type LoadBalancer. */
  private publishAddress(service: V1Service & KubeObject, address: string): void {
    const namespace = service.metadata.namespace;
    const name = service.metadata.name ?? "";
    try {
      let current = this.store.get(services, namespace, name) as (V1Service & KubeObject) | undefined;
      if (!current?.spec) return;
      if (!current.spec.clusterIP) {
        current = this.store.update(services, {
          ...current,
          spec: { ...current.spec, clusterIP: address, clusterIPs: [address] },
        }) as V1Service & KubeObject;
      }
      const ingress = current.spec?.type === "LoadBalancer" ? [{ ip: address }] : undefined;
      const published = current.status?.loadBalancer?.ingress;
      if (JSON.stringify(published) === JSON.stringify(ingress)) return;
      this.store.update(
        services,
        { ...current, status: { ...current.status, loadBalancer: ingress ? { ingress } : {} } },
        { subresource: "status", fieldManager: "service-proxy" },
      );
    } catch (error) {
      // Someone wrote the Service meanwhile: the watch brings that write, and its sync tries again.
      if (!(error instanceof StoreError && error.code === 409)) throw error;
    }
  }
}
