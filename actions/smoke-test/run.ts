import type { Logger } from "../lib/entry/definition.ts";
import type { SmokeConfig } from "./context.ts";
import { SmokeClient } from "./http/client.ts";
import { type LatencyResult, measureLatency } from "./latency/measure.ts";
import { describeThreshold, evaluateThresholds, type ThresholdResult } from "./latency/thresholds.ts";
import { type ReadinessResult, waitReady } from "./ready/wait-ready.ts";
import { checkHttpsRedirect, type RedirectResult } from "./tls/https-redirect.ts";
import { type CertificateResult, inspectCertificate } from "./tls/inspect-certificate.ts";
import { applyVerdict, type ReleaseVerdict, type VerdictOutcome } from "./verdict/release-verdict.ts";
import { type CheckResult, runChecks } from "./verify/run-checks.ts";

export type SmokeOutcome = "passed" | "failed" | "rolled-back" | "rollback-failed" | "not-started";

export interface SmokeResult {
  result: SmokeOutcome;
  url: string;
  readiness: ReadinessResult;
  certificate?: CertificateResult;
  redirect?: RedirectResult;
  checks: CheckResult[];
  latency?: LatencyResult;
  thresholds: ThresholdResult[];
  /** Every reason the gate failed, in the order found. */
  failures: string[];
  verdict?: VerdictOutcome;
}

export interface SmokeDeps {
  log: Logger;
  signal?: AbortSignal;
  /** The deployment's release ledger, when the inputs name a deployment. */
  verdict?: ReleaseVerdict;
}

/**
 * The gate: readiness, then the certificate, the HTTPS redirect and the declared checks, then the latency
 * phase against its thresholds; the verdict marks the release verified or undoes it.
 */
export async function runSmokeTest(config: SmokeConfig, deps: SmokeDeps): Promise<SmokeResult> {
  const { log } = deps;
  const target = {
    url: config.url,
    requestTimeoutMs: config.requestTimeoutMs,
    ...(config.connectTo ? { connectTo: config.connectTo } : {}),
    ...(config.ca === undefined ? {} : { ca: config.ca }),
  };
  const client = new SmokeClient(target, { maxSockets: config.latency.concurrency });
  const failures: string[] = [];
  const result: Omit<SmokeResult, "result"> = {
    url: config.url.href,
    readiness: { ready: false, attempts: 0, elapsedMs: 0 },
    checks: [],
    thresholds: [],
    failures,
  };
  try {
    result.readiness = await log.group("Readiness: /healthz and /readyz", () =>
      waitReady(client, config.readyTimeoutMs),
    );
    if (!result.readiness.ready) {
      failures.push(`not ready within ${config.readyTimeoutMs} ms: ${result.readiness.reason}`);
    } else {
      log.info(
        `ready after ${result.readiness.attempts} attempt(s), ${Math.round(result.readiness.elapsedMs)} ms`,
      );
      if (config.url.protocol === "https:") {
        const certificate = await inspectCertificate(target, config.minCertDays);
        result.certificate = certificate;
        failures.push(...certificate.failures);
        if (certificate.passed)
          log.info(`certificate for ${certificate.host} valid until ${certificate.validTo}`);
      }
      if (config.httpsRedirectPort !== undefined) {
        result.redirect = await checkHttpsRedirect(
          config.url,
          config.httpsRedirectPort,
          config.latency.path,
          {
            requestTimeoutMs: config.requestTimeoutMs,
            ...(config.connectTo ? { connectTo: config.connectTo } : {}),
          },
        );
        failures.push(...result.redirect.failures);
      }
      result.checks = await log.group(`Checks (${config.checks.length})`, async () => {
        const checks = await runChecks(client, config.checks);
        for (const check of checks)
          log.info(`${check.passed ? "pass" : "FAIL"} ${check.name}: ${check.method} ${check.path}`);
        return checks;
      });
      for (const check of result.checks) failures.push(...check.failures);
      const latency = await log.group(`Latency: ${config.latency.path}`, () =>
        measureLatency(client, { ...config.latency, ...(deps.signal ? { signal: deps.signal } : {}) }),
      );
      result.latency = latency;
      result.thresholds = evaluateThresholds(latency, config.thresholds);
      for (const threshold of result.thresholds) {
        log.info(describeThreshold(threshold));
        if (!threshold.passed)
          failures.push(`${describeThreshold(threshold)} (${latency.requests} requests)`);
      }
    }
  } finally {
    client.close();
  }
  if (deps.signal?.aborted) failures.push("cancelled");
  const passed = failures.length === 0;
  for (const failure of failures) log.error(failure);
  if (!deps.verdict) return { result: passed ? "passed" : "failed", ...result };
  const verdict = await applyVerdict(deps.verdict, passed, failures);
  if (verdict.action === "marked-verified") log.info(`${verdict.release} marked verified`);
  else if (verdict.action === "rolled-back") log.info(`undone to ${verdict.release}`);
  else
    log.error(
      `${verdict.action === "mark-failed" ? "marking the release verified" : "the undo"} failed: ${verdict.message}`,
    );
  return { result: outcomeOf(verdict), ...result, verdict };
}

/** The cluster holding the release cannot be reached: nothing was sent, nothing changed (exit 4). */
export function notStarted(config: SmokeConfig, reason: string): SmokeResult {
  return {
    result: "not-started",
    url: config.url.href,
    readiness: { ready: false, attempts: 0, elapsedMs: 0 },
    checks: [],
    thresholds: [],
    failures: [`the cluster cannot be reached: ${reason}`],
  };
}

function outcomeOf(verdict: VerdictOutcome): SmokeOutcome {
  switch (verdict.action) {
    case "marked-verified":
      return "passed";
    case "mark-failed":
      return "failed";
    case "rolled-back":
      return "rolled-back";
    case "rollback-failed":
      return "rollback-failed";
  }
}
