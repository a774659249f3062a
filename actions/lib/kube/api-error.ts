// What a client-node failure means for a pipeline step: the HTTP status when the server answered, else "the
// cluster could not be reached" (exit 4, nothing applied).
import { ApiException } from "@kubernetes/client-node";

/** The HTTP status of a Kubernetes API error, or undefined when no server answered. */
export function statusCode(error: unknown): number | undefined {
  return error instanceof ApiException ? error.code : undefined;
}

/** The server's Status message (`deployments.apps "x" not found`), else the error's own message. */
export function apiErrorMessage(error: unknown): string {
  if (error instanceof ApiException) {
    const body: unknown = error.body;
    const parsed = typeof body === "string" ? parseJson(body) : body;
    if (isStatus(parsed)) return parsed.message;
    return `HTTP ${error.code}`;
  }
  return error instanceof Error ? error.message : String(error);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isStatus(value: unknown): value is { message: string } {
  return (
    typeof value === "object" &&
    value !== null &&
    "message" in value &&
    typeof (value as { message: unknown }).message === "string"
  );
}

/** A network-level failure (refused, reset, DNS, TLS): no API server answered. */
export function isUnreachable(error: unknown): boolean {
  return !(error instanceof ApiException) && error instanceof Error;
}
