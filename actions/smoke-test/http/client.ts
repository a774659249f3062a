import {
  Agent as HttpAgent,
  request as httpRequest,
  type IncomingHttpHeaders,
  type RequestOptions,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import type { ConnectTo } from "../context.ts";

/** Where requests go: the URL names the host (Host header, SNI, certificate); connect-to the socket. */
export interface HttpTarget {
  url: URL;
  connectTo?: ConnectTo;
  ca?: string;
  requestTimeoutMs: number;
}

export interface RequestSpec {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Aborts the request (the readiness deadline). */
  signal?: AbortSignal;
}

export interface SmokeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * An HTTP(S) client for one target, on node:http with a keep-alive agent (one socket per concurrent
 * request, reused). Like curl --resolve/--connect-to, it dials the connect-to address while the Host
 * header, SNI and certificate check use the URL's host.
 */
export class SmokeClient {
  readonly #target: HttpTarget;
  readonly #agent: HttpAgent;
  readonly #base: RequestOptions;
  readonly #request: typeof httpRequest;
  readonly #prefix: string;

  constructor(target: HttpTarget, options: { maxSockets?: number } = {}) {
    this.#target = target;
    const https = target.url.protocol === "https:";
    // The timeout is the socket's idle limit, set once per socket rather than once per request.
    const agentOptions = {
      keepAlive: true,
      maxSockets: options.maxSockets ?? 1,
      scheduling: "fifo" as const,
      timeout: target.requestTimeoutMs,
    };
    this.#agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.#request = https ? httpsRequest : httpRequest;
    this.#prefix = target.url.pathname.replace(/\/$/, "");
    const host = bareHost(target.url.hostname);
    this.#base = {
      host: target.connectTo?.host ?? host,
      port: target.connectTo?.port ?? urlPort(target.url),
      agent: this.#agent,
      ...(https && isIP(host) === 0 ? { servername: host } : {}),
      ...(target.ca === undefined ? {} : { ca: target.ca }),
    };
  }

  /** The full URL a path is requested at (for messages). */
  urlOf(path: string): string {
    return new URL(this.#prefix + path, this.#target.url).href;
  }

  /** Sends one request and reads the whole body. */
  request(path: string, spec: RequestSpec = {}): Promise<SmokeResponse> {
    return this.#send(path, spec, true);
  }

  /** Sends one request and discards the body (the latency phase): resolves with the status once it ends. */
  async status(path: string): Promise<number> {
    return (await this.#send(path, {}, false)).status;
  }

  close(): void {
    this.#agent.destroy();
  }

  #send(path: string, spec: RequestSpec, keepBody: boolean): Promise<SmokeResponse> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { host: this.#target.url.host, ...spec.headers };
      if (spec.body !== undefined) headers["content-length"] = String(Buffer.byteLength(spec.body));
      const req = this.#request({
        ...this.#base,
        method: spec.method ?? "GET",
        path: this.#prefix + path,
        headers,
        ...(spec.signal === undefined ? {} : { signal: spec.signal }),
      });
      req.on("timeout", () =>
        req.destroy(new Error(`no response within ${this.#target.requestTimeoutMs} ms`)),
      );
      req.on("error", reject);
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        if (keepBody) res.on("data", (chunk: Buffer) => chunks.push(chunk));
        else res.resume();
        res.on("error", reject);
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.end(spec.body);
    });
  }
}

/** The URL's hostname without IPv6 brackets. */
export function bareHost(hostname: string): string {
  return hostname.startsWith("[") ? hostname.slice(1, -1) : hostname;
}

export function urlPort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}
