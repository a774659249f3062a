// One probe attempt from the host, which reaches every pod address through the bridge (as the kubelet
// reaches pods from the node). Success rules are the kubelet's: HTTP 200-399, a TCP connect.

import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import type { V1ContainerPort } from "@kubernetes/client-node";

/** A probe port is a number or the name of one of the container's ports. */
export function resolvePort(port: number | string, ports: V1ContainerPort[] | undefined): number {
  if (typeof port === "number") return port;
  if (/^[0-9]+$/.test(port)) return Number(port);
  const named = ports?.find((candidate) => candidate.name === port);
  if (!named) throw new Error(`probe port ${port} is not a named port of the container`);
  return named.containerPort;
}

export interface HttpProbeTarget {
  host: string;
  port: number;
  path: string;
  scheme: "HTTP" | "HTTPS";
  headers: Record<string, string>;
  timeoutMs: number;
}

export function httpProbe(target: HttpProbeTarget): Promise<boolean> {
  const request = target.scheme === "HTTPS" ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.host,
        port: target.port,
        path: target.path,
        headers: { "user-agent": "kube-probe/1.31", ...target.headers },
        timeout: target.timeoutMs,
        rejectUnauthorized: false,
        agent: false,
      },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(status >= 200 && status < 400);
      },
    );
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

export function tcpProbe(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.on("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", () => resolve(false));
  });
}
