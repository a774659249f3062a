import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One element in the recorded shape of LinkedIn's job-postings collection. */
export function linkedInPosting(n: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `urn:li:jobPosting:${4_000_000_000 + n}`,
    title: `Cloud Engineer ${n}`,
    companyName: `Company ${n % 7}`,
    location: n % 2 ? "Paris, Île-de-France, France" : "Remote",
    workplaceTypes: n % 2 ? ["on-site"] : ["remote"],
    experienceLevel: n % 3 ? "MID_SENIOR_LEVEL" : "ENTRY_LEVEL",
    skills: ["Kubernetes", "Azure", n % 2 ? "Terraform" : "Go"],
    compensation: {
      compensations: [
        {
          value: {
            min: { amount: "55000", currencyCode: "EUR" },
            max: { amount: "75000", currencyCode: "EUR" },
          },
          payPeriod: "YEARLY",
        },
      ],
    },
    description: { text: `Build and run AKS clusters (posting ${n}).` },
    jobPostingUrl: `https://www.linkedin.com/jobs/view/${4_000_000_000 + n}/`,
    listedAt: Date.UTC(2026, 10, 1) + n * 60_000,
    ...overrides,
  };
}

export interface StandInRequest {
  start: number;
  count: number;
  status: number;
  at: number;
}

export interface StandInOptions {
  token: string;
  elements: unknown[];
  /** Answer 429 with this Retry-After the first time each of these offsets is asked for. */
  rateLimitAt?: { start: number; retryAfter: string }[];
  /** Address to listen on (default 127.0.0.1); pods of the local platform reach the host on its bridge address. */
  host?: string;
}

export interface LinkedInStandIn {
  url: string;
  requests: StandInRequest[];
  close(): Promise<void>;
}

/** A local HTTP server speaking LinkedIn's job-postings REST shape (start/count paging, Rest.li headers). */
export async function startLinkedInStandIn(options: StandInOptions): Promise<LinkedInStandIn> {
  const requests: StandInRequest[] = [];
  const limited = new Map((options.rateLimitAt ?? []).map((r) => [r.start, r.retryAfter]));
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const start = Number(url.searchParams.get("start") ?? 0);
    const count = Number(url.searchParams.get("count") ?? 10);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      requests.push({ start, count, status, at: performance.now() });
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== "/rest/jobPostings" || url.searchParams.get("q") !== "criteria") {
      return send(404, { status: 404, message: "Resource not found" });
    }
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return send(401, { status: 401, serviceErrorCode: 65600, message: "Invalid access token" });
    }
    if (req.headers["x-restli-protocol-version"] !== "2.0.0") {
      return send(400, { status: 400, message: "Rest.li protocol 2.0.0 required" });
    }
    const retryAfter = limited.get(start);
    if (retryAfter !== undefined) {
      limited.delete(start);
      return send(
        429,
        { status: 429, message: "Resource level throttle limit reached" },
        { "retry-after": retryAfter },
      );
    }
    send(200, {
      elements: options.elements.slice(start, start + count),
      paging: { start, count, total: options.elements.length, links: [] },
    });
  };
  const server = createServer(handle);
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
