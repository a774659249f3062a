// The service proxy and the ingress gateway as platform components. The ingress listens on 127.0.0.1 at
// CJH_INGRESS_PORT (default: a free port) and records its URL in <stateDir>/ingress.json for smoke tests.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { IngressGateway } from "../ingress/ingress-gateway.ts";
import type { Component, PlatformContext } from "../platform/component.ts";
import { ServiceProxy } from "./service-proxy.ts";

export function ingressInfoPath(stateDir: string): string {
  return join(stateDir, "ingress.json");
}

export function trafficComponents(): Component[] {
  let proxy: ServiceProxy | undefined;
  let gateway: IngressGateway | undefined;
  const serviceProxy: Component = {
    name: "service-proxy",
    async start(context: PlatformContext) {
      proxy = new ServiceProxy({ store: context.store, stateDir: context.stateDir });
      await proxy.start();
      context.log("service-proxy: Services on 127.10.x.y (spec.clusterIP, LoadBalancer ingress)");
    },
    async stop() {
      await proxy?.close();
      proxy = undefined;
    },
  };
  const ingress: Component = {
    name: "ingress",
    async start(context: PlatformContext) {
      if (!proxy) throw new Error("the ingress needs the service proxy, which starts before it");
      gateway = new IngressGateway({
        store: context.store,
        services: proxy,
        home: context.stateDir,
        port: Number(process.env.CJH_INGRESS_PORT ?? 0),
      });
      const port = await gateway.start();
      const url = `https://127.0.0.1:${port}`;
      writeFileSync(ingressInfoPath(context.stateDir), `${JSON.stringify({ url }, null, 2)}\n`);
      context.log(`ingress: ${url} (send Host/SNI of the Ingress rule)`);
    },
    async stop() {
      await gateway?.close();
      gateway = undefined;
    },
  };
  return [serviceProxy, ingress];
}
