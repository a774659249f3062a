// The ACR login server: one HTTPS origin, as ACR has, serving the token service (/oauth2/...), ACR's
// metadata API (/acr/v1/...) and, by reverse proxy, the registry's OCI API (/v2/...). The registry behind it
// is Debian's distribution with token auth trusting this service's signing certificate.
import type { IncomingMessage } from "node:http";
import { request } from "node:https";
import { sendJson } from "../common/json-body.ts";
import { acrMetadata, manifestTypes, metadataRoute, type Upstream } from "./acr-catalog.ts";
import { type AcrTokenContext, AcrTokenService } from "./acr-tokens.ts";
import type { Handler } from "./https-server.ts";

export interface AcrContext extends AcrTokenContext {
  /** The registry's own address (https://127.0.0.1:<port>), reached only through this login server. */
  registryUrl: string;
  /** The CA the registry's certificate comes from. */
  ca: string;
  storageRoot: string;
}

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "proxy-connection",
  "te",
  "trailer",
]);

export function acrHandler(context: AcrContext): Handler {
  const tokens = new AcrTokenService(context);
  const registry = new URL(context.registryUrl);
  const upstreamOptions = { host: registry.hostname, port: registry.port, ca: context.ca };

  const upstream: Upstream = (path, req, method = "GET") =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string> = { accept: manifestTypes };
      if (req.headers.authorization) headers.authorization = req.headers.authorization;
      const call = request({ ...upstreamOptions, method, path, headers }, (answer) => {
        let body = "";
        answer.setEncoding("utf8");
        answer.on("data", (chunk: string) => (body += chunk));
        answer.on("end", () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(answer.headers))
            if (typeof value === "string") flat[name] = value;
          resolve({ status: answer.statusCode ?? 502, headers: flat, body });
        });
      });
      call.on("error", reject);
      call.end();
    });

  const proxy = (req: IncomingMessage, res: Parameters<Handler>[1], url: URL): Promise<void> =>
    new Promise((resolve) => {
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !hopByHop.has(name)));
      const call = request(
        { ...upstreamOptions, method: req.method, path: url.pathname + url.search, headers },
        (answer) => {
          const answerHeaders = Object.fromEntries(
            Object.entries(answer.headers).filter(([name]) => !hopByHop.has(name)),
          );
          res.writeHead(answer.statusCode ?? 502, answerHeaders);
          answer.pipe(res);
          answer.on("end", () => resolve());
        },
      );
      call.on("error", (error) => {
        if (!res.headersSent)
          sendJson(res, 502, {
            errors: [{ code: "UNAVAILABLE", message: `registry unreachable: ${error.message}` }],
          });
        else res.destroy();
        resolve();
      });
      req.pipe(call);
    });

  return async (req, res, url) => {
    if (url.pathname === "/oauth2/exchange" && req.method === "POST") return tokens.exchange(req, res);
    if (url.pathname === "/oauth2/token" && req.method === "POST") return tokens.token(req, res);
    if (url.pathname === "/oauth2/token" && req.method === "GET") return tokens.basicToken(req, res, url);
    if (url.pathname === "/v2" || url.pathname.startsWith("/v2/")) return proxy(req, res, url);
    const route = metadataRoute(req.method, url);
    if (route) {
      const catalog = { service: context.service, storageRoot: context.storageRoot, upstream };
      return acrMetadata(catalog, route, req, res, url);
    }
    sendJson(res, 404, {
      errors: [{ code: "NOT_FOUND", message: `no such endpoint: ${req.method} ${url.pathname}` }],
    });
  };
}
