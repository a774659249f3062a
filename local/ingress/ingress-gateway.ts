// The platform's ingress controller: one HTTPS port on loopback serving every Ingress, routing by host
// and path to the Service's address on the service proxy. Certificates come from the local CA, one per
// SNI host name on demand, so `https://<host>/...` verifies for a client trusting that CA (curl
// --resolve or a Host header with servername). Each request opens its own connection to the Service, so
// it is balanced across ready pods at that moment and never rides a kept-alive connection to a pod that
// is shutting down.

import { once } from "node:events";
import { type IncomingHttpHeaders, request } from "node:http";
import { createServer, type Server } from "node:https";
import { createSecureContext, type SecureContext } from "node:tls";
import type { V1Ingress } from "@kubernetes/client-node";
import type { ObjectStore } from "../kube/store/object-store.ts";
import { issueServerCertificate } from "../tls/local-ca.ts";
import { findRoute } from "./routing.ts";

const ingresses = { group: "networking.k8s.io", version: "v1", resource: "ingresses" };
const hopByHop = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "te",
  "trailer",
  "upgrade",
];

export interface ServiceAddresses {
  addressOf(
    namespace: string,
    name: string,
    port: number | string,
  ): { host: string; port: number } | undefined;
}

export interface IngressGatewayOptions {
  store: ObjectStore;
  services: ServiceAddresses;
  /** The platform folder holding the local CA (local/tls). */
  home: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export class IngressGateway {
  private readonly contexts = new Map<string, Promise<SecureContext>>();
  private server: Server | undefined;

  constructor(private readonly options: IngressGatewayOptions) {}

  /** Starts serving; resolves to the port it listens on. */
  async start(): Promise<number> {
    const fallback = await issueServerCertificate(this.options.home, "ingress");
    const server = createServer(
      {
        cert: fallback.cert,
        key: fallback.key,
        SNICallback: (servername, callback) => {
          this.contextFor(servername).then(
            (context) => callback(null, context),
            (error: Error) => callback(error),
          );
        },
      },
      (req, res) => {
        const path = (req.url ?? "/").split("?")[0] ?? "/";
        const all = this.options.store.list(ingresses).items as unknown as V1Ingress[];
        const route = findRoute(all, req.headers.host ?? "", path);
        const service = route?.backend.service;
        if (!route || !service) {
          res.writeHead(404, { "content-type": "text/plain" }).end("default backend - 404\n");
          return;
        }
        const port = service.port?.number ?? service.port?.name ?? 80;
        const target = this.options.services.addressOf(route.namespace, service.name, port);
        if (!target) {
          res
            .writeHead(503, { "content-type": "text/plain" })
            .end(`service ${route.namespace}/${service.name} has no address\n`);
          return;
        }
        const upstream = request(
          {
            host: target.host,
            port: target.port,
            method: req.method,
            path: req.url,
            headers: {
              ...withoutHopByHop(req.headers),
              "x-forwarded-for": req.socket.remoteAddress ?? "",
              "x-forwarded-proto": "https",
              "x-forwarded-host": req.headers.host ?? "",
            },
            agent: false,
          },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, withoutHopByHop(answer.headers));
            answer.pipe(res);
          },
        );
        upstream.on("error", () => {
          if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" }).end("bad gateway\n");
          else res.destroy();
        });
        req.pipe(upstream);
      },
    );
    server.listen(this.options.port ?? 0, this.options.host ?? "127.0.0.1");
    await once(server, "listening");
    this.server = server;
    const address = server.address();
    if (!address || typeof address === "string") throw new Error("ingress gateway has no port");
    return address.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private contextFor(servername: string): Promise<SecureContext> {
    const name = servername.toLowerCase();
    let context = this.contexts.get(name);
    if (!context) {
      context = issueServerCertificate(this.options.home, "ingress", [name]).then((issued) =>
        createSecureContext({ cert: issued.cert, key: issued.key }),
      );
      this.contexts.set(name, context);
    }
    return context;
  }
}

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const kept: IncomingHttpHeaders = { ...headers };
  for (const name of hopByHop) delete kept[name];
  return kept;
}
