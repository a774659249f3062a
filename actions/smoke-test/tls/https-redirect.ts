import type { ConnectTo } from "../context.ts";
import { SmokeClient } from "../http/client.ts";

export interface RedirectResult {
  from: string;
  passed: boolean;
  status?: number;
  location?: string;
  failures: string[];
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Asks the plain-HTTP listener for `path` and expects a redirect to the same host over HTTPS. */
export async function checkHttpsRedirect(
  httpsUrl: URL,
  httpPort: number,
  path: string,
  options: { connectTo?: ConnectTo; requestTimeoutMs: number },
): Promise<RedirectResult> {
  const url = new URL(httpsUrl);
  url.protocol = "http:";
  url.port = httpPort === 80 ? "" : String(httpPort);
  const client = new SmokeClient({
    url,
    requestTimeoutMs: options.requestTimeoutMs,
    ...(options.connectTo ? { connectTo: { host: options.connectTo.host, port: httpPort } } : {}),
  });
  const from = client.urlOf(path);
  try {
    const response = await client.request(path);
    const location = response.headers.location;
    const target = location === undefined ? undefined : URL.parse(location, from);
    const passed =
      REDIRECTS.has(response.status) &&
      target?.protocol === "https:" &&
      target.hostname === httpsUrl.hostname;
    const failures = passed
      ? []
      : [
          `${from}: expected a redirect to https://${httpsUrl.hostname}, got ${response.status}${location ? ` to ${location}` : ""}`,
        ];
    return { from, passed, status: response.status, ...(location ? { location } : {}), failures };
  } catch (error) {
    return { from, passed: false, failures: [`${from}: no response: ${(error as Error).message}`] };
  } finally {
    client.close();
  }
}
