import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { ConnectionConfig } from "../config/env.ts";
import type { AppEnv } from "./env.ts";
import { SECURE_HEADERS } from "./secure-headers.ts";

export interface Listening {
  server: Server;
  url: string;
  /** From now on each response asks its client to open a new connection (to another replica). */
  startDraining(): void;
  /**
   * Stops accepting connections, lets requests in progress finish for up to graceMs, then cuts what is left.
   * Resolves true when everything finished in time.
   */
  close(graceMs: number): Promise<boolean>;
}

/**
 * Serves the app on node:http; every response gets the security headers. Slow or silent clients are cut:
 * headers must arrive within headersTimeoutMs and the whole request within requestTimeoutMs (node answers
 * 408 and closes), and connections beyond maxConnections are refused.
 */
export function listen(
  app: Hono<AppEnv>,
  port: number,
  hostname: string,
  connections: ConnectionConfig,
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    let draining = false;
    const server = serve({
      fetch: app.fetch,
      port,
      hostname,
      serverOptions: {
        headersTimeout: connections.headersTimeoutMs,
        requestTimeout: connections.requestTimeoutMs,
        keepAliveTimeout: connections.keepAliveTimeoutMs,
        // How often node checks those timeouts: its default, 30 s, let a trickling client stay that much longer.
        connectionsCheckingInterval: Math.min(1000, connections.headersTimeoutMs),
      },
    }) as Server;
    server.maxConnections = connections.maxConnections;
    // Runs before the app for each request: node's setHeader is far cheaper than editing a Response.
    server.prependListener("request", (_req, res) => {
      for (const [name, value] of SECURE_HEADERS) res.setHeader(name, value);
      // Idle keep-alive connections are not cut while draining: that could race a request being sent on one.
      if (draining) res.shouldKeepAlive = false;
    });
    server.once("error", reject);
    server.once("listening", () => {
      const address = server.address() as AddressInfo;
      const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${host}:${address.port}`,
        startDraining: () => {
          draining = true;
        },
        close: (graceMs) => closeGracefully(server, graceMs),
      });
    });
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
