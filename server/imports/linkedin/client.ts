import { setTimeout as sleep } from "node:timers/promises";
import pRetry, { AbortError } from "p-retry";
import { z } from "zod";
import type { LinkedInConfig } from "../../config/env.ts";

export class LinkedInError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LinkedInError";
  }
}

class RateLimited extends Error {
  constructor(readonly waitMs: number) {
    super(`LinkedIn answered 429; retrying after ${waitMs} ms`);
  }
}

const pageSchema = z.object({
  elements: z.array(z.unknown()),
  paging: z.object({ start: z.number().int(), count: z.number().int(), total: z.number().int().optional() }),
});

export interface LinkedInPage {
  start: number;
  elements: unknown[];
}

export interface PageQuery {
  keywords?: string | undefined;
  maxPages: number;
}

export type LinkedInClientOptions = Omit<LinkedInConfig, "baseUrl" | "token" | "maxPages"> & {
  baseUrl: string;
  token: string;
};

/**
 * Reads LinkedIn's job-postings collection (`GET /rest/jobPostings`, Rest.li 2.0, start/count paging).
 * Honours 429 Retry-After, retries 5xx and network failures with backoff, gives up at once on other 4xx.
 */
export async function* linkedInPages(
  options: LinkedInClientOptions,
  query: PageQuery,
): AsyncGenerator<LinkedInPage> {
  let start = 0;
  for (let page = 0; page < query.maxPages; page++) {
    const url = new URL(
      "rest/jobPostings",
      options.baseUrl.endsWith("/") ? options.baseUrl : `${options.baseUrl}/`,
    );
    url.searchParams.set("q", "criteria");
    if (query.keywords) url.searchParams.set("keywords", query.keywords);
    url.searchParams.set("start", String(start));
    url.searchParams.set("count", String(options.pageSize));
    const body = await fetchPage(url, options);
    yield { start, elements: body.elements };
    start += body.elements.length;
    const total = body.paging.total;
    if (
      body.elements.length === 0 ||
      (total !== undefined ? start >= total : body.elements.length < options.pageSize)
    ) {
      return;
    }
  }
}

async function fetchPage(url: URL, options: LinkedInClientOptions): Promise<z.infer<typeof pageSchema>> {
  const shown = `${url.pathname}${url.search}`;
  return pRetry(
    async () => {
      const response = await fetch(url, {
        headers: {
          authorization: `Bearer ${options.token}`,
          "linkedin-version": "202410",
          "x-restli-protocol-version": "2.0.0",
          accept: "application/json",
        },
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (response.status === 429) {
        await response.body?.cancel();
        const waitMs = retryAfterMs(response.headers.get("retry-after"));
        if (waitMs > options.maxRetryAfterMs) {
          throw new AbortError(
            new LinkedInError(
              `LinkedIn asked to wait ${waitMs} ms (Retry-After), more than LINKEDIN_MAX_RETRY_AFTER_MS`,
            ),
          );
        }
        throw new RateLimited(waitMs);
      }
      if (response.status >= 500) {
        await response.body?.cancel();
        throw new LinkedInError(`LinkedIn answered ${response.status} for ${shown}`);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new AbortError(new LinkedInError(`LinkedIn refused ${shown} with ${response.status}`));
      }
      const parsed = pageSchema.safeParse(await response.json().catch(() => undefined));
      if (!parsed.success) {
        throw new AbortError(new LinkedInError(`LinkedIn's answer to ${shown} is not a job-postings page`));
      }
      return parsed.data;
    },
    {
      retries: options.maxRetries,
      minTimeout: 200,
      factor: 2,
      onFailedAttempt: async ({ error }) => {
        if (error instanceof RateLimited) await sleep(error.waitMs);
      },
    },
  ).catch((error: unknown) => {
    if (error instanceof LinkedInError) throw error;
    if (error instanceof RateLimited) throw new LinkedInError(`LinkedIn kept answering 429 for ${shown}`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new LinkedInError(`LinkedIn could not be reached for ${shown}: ${reason}`);
  });
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 10.2.3). */
export function retryAfterMs(header: string | null, now: number = Date.now()): number {
  if (header === null) return 1000;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? 1000 : Math.max(0, date - now);
}
