// The service proxy as a platform component: Services on 127.10.x.y (spec.clusterIP, LoadBalancer
// ingress). The running proxy is what the ingress component routes through (the assembly hands it over).
import type { Component, PlatformContext } from "../component/component.ts";
import { ServiceProxy } from "./service-proxy.ts";

export interface ServiceProxyComponent extends Component {
  /** The running proxy; undefined before start and after stop. */
  readonly proxy: ServiceProxy | undefined;
}

export function serviceProxyComponent(): ServiceProxyComponent {
  let proxy: ServiceProxy | undefined;
  return {
    name: "service-proxy",
    get proxy() {
      return proxy;
    },
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
}
