// Kubernetes `Status` objects, the body of every error the API server returns.
import { StoreError, type StoreErrorDetails } from "../store/object-store.ts";
import { pathString } from "./ssa/field-set.ts";
import { ApplyConflictError } from "./ssa/managed-fields.ts";

export interface StatusObject {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Failure" | "Success";
  message?: string;
  reason?: string;
  details?: StoreErrorDetails & { uid?: string };
  code: number;
}

export function failure(
  code: number,
  reason: string,
  message: string,
  details?: StoreErrorDetails,
): StatusObject {
  return {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

export function badRequest(message: string): StoreError {
  return new StoreError(400, "BadRequest", message);
}

/** Any error thrown while serving a request, as the Status the real server would send. */
export function statusOf(error: unknown): StatusObject {
  if (error instanceof StoreError) return failure(error.code, error.reason, error.message, error.details);
  if (error instanceof ApplyConflictError) {
    return failure(409, "Conflict", error.message, {
      causes: error.conflicts.map((conflict) => ({
        reason: "FieldManagerConflict",
        message: `conflict with ${JSON.stringify(conflict.manager.manager ?? "")}`,
        field: pathString(conflict.path),
      })),
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure(500, "InternalError", `Internal error occurred: ${message}`);
}
