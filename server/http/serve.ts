import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { AppEnv } from "./env.ts";

export interface Listening {
  server: Server;
  url: string;
  /**
   * Stops accepting connections, lets requests in progress finish for up to graceMs, then cuts what is left.
   * Resolves true when everything finished in time.
   */
  close(graceMs: number): Promise<boolean>;
}

export function listen(app: Hono<AppEnv>, port: number, hostname: string): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }) as Server;
    server.once("error", reject);
    server.once("listening", () => {
      const address = server.address() as AddressInfo;
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${host}:${address.port}`,
        close: (graceMs) => closeGracefully(server, graceMs),
      });
    });
  });
}

/**
 * While a replica drains, each response asks its client to open a new connection (to another replica).
 * Idle keep-alive connections are left alone until the listener closes: cutting one now could race a
 * request the client is sending on it.
 */
export function closeConnectionsAfterResponse(server: Server): void {
  server.prependListener("request", (_req, res) => {
    res.shouldKeepAlive = false;
  });
}

function closeGracefully(server: Server, graceMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    // Connections whose last request ends during the grace period go idle, and are closed then.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const timer = setTimeout(() => {
      clearInterval(sweep);
      server.closeAllConnections();
      resolve(false);
    }, graceMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(timer);
      resolve(true);
    });
  });
}
