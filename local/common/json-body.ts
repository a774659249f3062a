// Request and response bodies of the platform's HTTP stand-ins (the Kubernetes API server, AAD, ARM, ACR).
import type { IncomingMessage, ServerResponse } from "node:http";

/** The whole request body as text (UTF-8). */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

/** Answers `body` as JSON; `headers` (lower-case names) add to or replace the content type. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
