import pRetry, { AbortError } from "p-retry";
import type { SmokeClient } from "../http/client.ts";

export const PROBE_PATHS = ["/healthz", "/readyz"] as const;

export interface ReadinessResult {
  ready: boolean;
  attempts: number;
  elapsedMs: number;
  /** Why the last attempt failed, when not ready. */
  reason?: string;
}

class NotReady extends Error {}

/**
 * Waits until /healthz and /readyz both answer 2xx: retries with exponential backoff (250 ms doubling to
 * 5 s), bounded by the deadline, which also aborts a request still in flight when it passes.
 */
export async function waitReady(client: SmokeClient, deadlineMs: number): Promise<ReadinessResult> {
  const started = performance.now();
  const deadline = AbortSignal.timeout(deadlineMs);
  let attempts = 0;
  let reason = "";
  try {
    await pRetry(
      async () => {
        attempts += 1;
        for (const path of PROBE_PATHS) {
          const response = await client.request(path, { signal: deadline }).catch((error: Error) => {
            if (deadline.aborted) throw new AbortError(`${path}: no answer before the deadline`);
            throw new NotReady(`${path}: ${error.message}`);
          });
          if (response.status < 200 || response.status > 299) {
            throw new NotReady(`${path} answered ${response.status}${detailOf(response.body)}`);
          }
        }
      },
      {
        retries: 1000,
        factor: 2,
        minTimeout: 250,
        maxTimeout: 5000,
        maxRetryTime: deadlineMs,
        signal: deadline,
        onFailedAttempt: ({ error }) => {
          reason = error.message;
        },
      },
    );
    return { ready: true, attempts, elapsedMs: performance.now() - started };
  } catch (error) {
    if (error instanceof AbortError && reason === "") reason = error.message;
    return {
      ready: false,
      attempts,
      elapsedMs: performance.now() - started,
      reason: reason || String(error),
    };
  }
}

/** `: <detail>` of a problem+json body, when there is one. */
function detailOf(body: Buffer): string {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      "detail" in parsed &&
      typeof parsed.detail === "string"
    ) {
      return `: ${parsed.detail}`;
    }
  } catch {
    // Not JSON: the status says enough.
  }
  return "";
}
