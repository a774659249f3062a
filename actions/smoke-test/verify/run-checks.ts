import type { CheckSpec } from "../config/checks-file.ts";
import type { SmokeClient } from "../http/client.ts";
import { fieldProblem } from "./json-field.ts";

export interface CheckResult {
  name: string;
  method: string;
  path: string;
  passed: boolean;
  /** The status received; absent when no response came. */
  status?: number;
  durationMs: number;
  /** Each failed expectation, naming the path, the field, what was expected and what came. */
  failures: string[];
}

/** Runs the declared checks one after another (each is a single request). */
export async function runChecks(client: SmokeClient, checks: readonly CheckSpec[]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(client, check));
  return results;
}

export async function runCheck(client: SmokeClient, check: CheckSpec): Promise<CheckResult> {
  const where = `${check.method} ${check.path}`;
  const started = performance.now();
  const base = { name: check.name, method: check.method, path: check.path };
  let response: Awaited<ReturnType<SmokeClient["request"]>>;
  try {
    response = await client.request(check.path, {
      method: check.method,
      headers: check.headers,
      ...(check.body === undefined ? {} : { body: check.body }),
    });
  } catch (error) {
    const durationMs = performance.now() - started;
    return {
      ...base,
      passed: false,
      durationMs,
      failures: [`${where}: no response: ${(error as Error).message}`],
    };
  }
  const durationMs = performance.now() - started;
  const failures: string[] = [];
  const { expect } = check;
  if (response.status !== expect.status) {
    failures.push(`${where}: status: expected ${expect.status}, got ${response.status}`);
  }
  const contentType = response.headers["content-type"] ?? "";
  if (expect["content-type"] !== undefined && mediaType(contentType) !== mediaType(expect["content-type"])) {
    failures.push(`${where}: content-type: expected ${expect["content-type"]}, got ${contentType || "none"}`);
  }
  if (expect.json.length > 0) {
    let document: unknown;
    try {
      document = JSON.parse(response.body.toString("utf8"));
    } catch {
      failures.push(
        `${where}: body: expected JSON, got ${response.body.length} bytes of ${contentType || "unknown type"}`,
      );
      return { ...base, passed: false, status: response.status, durationMs, failures };
    }
    for (const field of expect.json) {
      const problem = fieldProblem(document, field);
      if (problem !== undefined) failures.push(`${where}: ${problem}`);
    }
  }
  return { ...base, passed: failures.length === 0, status: response.status, durationMs, failures };
}

/** The media type without parameters, lower case (`Application/JSON; charset=utf-8` -> `application/json`). */
function mediaType(header: string): string {
  return (header.split(";")[0] ?? "").trim().toLowerCase();
}
