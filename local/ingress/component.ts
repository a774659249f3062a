// The ingress gateway as a platform component. It listens on 127.0.0.1 at CJH_INGRESS_PORT (default: a
// free port) and records its URL in <stateDir>/ingress.json for smoke tests.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Component, PlatformContext } from "../component/component.ts";
import { IngressGateway, type ServiceAddresses } from "./ingress-gateway.ts";

function ingressInfoPath(stateDir: string): string {
  return join(stateDir, "ingress.json");
}

/** `services` gives the running service proxy (it starts before the ingress). */
export function ingressComponent(services: () => ServiceAddresses | undefined): Component {
  let gateway: IngressGateway | undefined;
  return {
    name: "ingress",
    async start(context: PlatformContext) {
      const proxy = services();
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
}
