// The small HTTP plumbing the stand-ins share: an HTTPS listener, form bodies, credentials (JSON bodies are
// local/common/json-body.ts, as the API server's).
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { readBody, sendJson } from "../common/json-body.ts";

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

export async function listenHttps(
  tls: { cert: string; key: string },
  host: string,
  port: number,
  handler: Handler,
): Promise<Listening> {
  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const url = new URL(req.url ?? "/", `https://${req.headers.host ?? host}`);
    handler(req, res, url).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { code: "InternalError", message: String(error) } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  server.listen(port, host);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([error]) => Promise.reject(error)),
  ]);
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  return new URLSearchParams(await readBody(req));
}

/** Basic credentials of a request, if any. */
export function basicCredentials(req: IncomingMessage): { username: string; password: string } | undefined {
  const header = req.headers.authorization ?? "";
  if (!header.toLowerCase().startsWith("basic ")) return undefined;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon === -1 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? "";
  return header.toLowerCase().startsWith("bearer ") ? header.slice(7).trim() : undefined;
}
