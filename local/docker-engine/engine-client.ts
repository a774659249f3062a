// A small client for the Docker Engine HTTP API over its unix socket: one keep-alive connection pool,
// structured answers and errors, no CLI process per call and no shell.
import { Agent, type IncomingMessage, request } from "node:http";
import type { Readable } from "node:stream";

/** The engine decodes X-Registry-Auth as URL-safe base64 WITH padding (Go's base64.URLEncoding). */
export function registryAuthHeader(config: Record<string, string>): string {
  return Buffer.from(JSON.stringify(config)).toString("base64").replaceAll("+", "-").replaceAll("/", "_");
}

/** Engine 20.10 (Debian's docker.io) speaks API 1.41; newer engines accept it too. */
const apiVersion = "v1.41";

export class DockerEngineError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = "DockerEngineError";
  }
}

export interface EngineRequest {
  query?: Record<string, string | number | boolean | undefined>;
  /** A JSON body, or a stream (e.g. a tar build context). */
  body?: unknown;
  headers?: Record<string, string>;
}

/** Reads the socket path from a DOCKER_HOST value such as unix:///run/cjh/docker.sock. */
export function socketPathFromDockerHost(dockerHost: string): string {
  if (!dockerHost.startsWith("unix://")) {
    throw new Error(`DOCKER_HOST ${dockerHost}: only unix:// sockets are supported`);
  }
  return dockerHost.slice("unix://".length);
}

export class DockerEngine {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });

  constructor(readonly socketPath: string) {}

  /** Sends a request and returns the response stream once headers arrive (status >= 400 throws). */
  async stream(method: string, path: string, options: EngineRequest = {}): Promise<IncomingMessage> {
    const response = await this.send(method, path, options);
    if ((response.statusCode ?? 500) >= 400) throw await errorOf(response);
    return response;
  }

  /** Sends a request and parses its JSON answer (empty answers give undefined). */
  async json(method: string, path: string, options: EngineRequest = {}): Promise<unknown> {
    const response = await this.stream(method, path, options);
    const text = (await readAll(response)).toString("utf8");
    return text.trim() === "" ? undefined : JSON.parse(text);
  }

  /** Like json() but a 404 gives undefined: for "is it there?" questions. */
  async jsonOrUndefined(method: string, path: string, options: EngineRequest = {}): Promise<unknown> {
    try {
      return await this.json(method, path, options);
    } catch (error) {
      if (error instanceof DockerEngineError && error.status === 404) return undefined;
      throw error;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, options: EngineRequest): Promise<IncomingMessage> {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) search.set(key, String(value));
    }
    const query = search.size > 0 ? `?${search}` : "";
    const streamBody = isReadable(options.body) ? options.body : undefined;
    const jsonBody = options.body !== undefined && !streamBody ? JSON.stringify(options.body) : undefined;
    const headers: Record<string, string> = { ...options.headers };
    if (jsonBody !== undefined) headers["content-type"] = "application/json";
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          agent: this.agent,
          method,
          path: `/${apiVersion}${path}${query}`,
          headers,
        },
        resolve,
      );
      req.on("error", (error) => reject(new Error(`Docker engine at ${this.socketPath}: ${error.message}`)));
      if (streamBody) streamBody.pipe(req);
      else req.end(jsonBody);
    });
  }
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

async function errorOf(response: IncomingMessage): Promise<DockerEngineError> {
  const text = (await readAll(response)).toString("utf8");
  let message = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "message" in parsed &&
      typeof parsed.message === "string"
    ) {
      message = parsed.message;
    }
  } catch {
    // Not JSON: keep the engine's text as it is.
  }
  return new DockerEngineError(response.statusCode ?? 500, message);
}

function isReadable(value: unknown): value is Readable {
  return typeof value === "object" && value !== null && "pipe" in value && typeof value.pipe === "function";
}
