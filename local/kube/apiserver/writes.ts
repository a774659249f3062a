// The write verbs: create (POST), update (PUT), patch (JSON, merge, strategic merge, server-side apply),
// delete, for the main resource and its status and scale subresources. Each computes the new object,
// validates fields, records field ownership, then hands it to the store (which does the object mechanics).
import type { V1DeleteOptions } from "@kubernetes/client-node";
import fastJsonPatch, { type Operation } from "fast-json-patch";
import type { KubeObject } from "../api/meta.ts";
import { applyDefaults } from "../store/defaults.ts";
import type { MemoryStore } from "../store/memory-store.ts";
import { timestamp } from "../store/names.ts";
import { StoreError, type WriteOptions } from "../store/object-store.ts";
import { groupVersion, qualifiedResource, type ResourceInfo } from "../store/resources.ts";
import { modelTypeFor, parseBody, pruneUnknownFields, unknownFields } from "./field-validation.ts";
import { isObject, type JsonObject } from "./merge/json-value.ts";
import { mergePatch } from "./merge/merge-patch.ts";
import { strategicMergePatch } from "./merge/strategic-merge-patch.ts";
import type { ResourceTarget } from "./request-target.ts";
import {
  ApplyConflictError,
  apply,
  conflictsForgivenByLastApplied,
  type OwnershipContext,
  recordUpdate,
} from "./ssa/managed-fields.ts";
import { badRequest } from "./status.ts";
import { reportProblems, type WriteContext } from "./write-context.ts";

export interface WriteResult {
  code: number;
  body: unknown;
}

interface Request {
  store: MemoryStore;
  target: ResourceTarget;
  context: WriteContext;
  now: Date;
}

function modelOf(info: ResourceInfo): string | undefined {
  return info.builtIn ? modelTypeFor(groupVersion(info), info.kind) : undefined;
}

function ownership(request: Request, subresource?: "status" | "scale"): OwnershipContext {
  return {
    manager: request.context.fieldManager,
    apiVersion: groupVersion(request.target.info),
    time: timestamp(request.now),
    ...(subresource ? { subresource } : {}),
    statusSubresource: request.target.info.status,
  };
}

function ref(info: ResourceInfo) {
  return { group: info.group, version: info.version, resource: info.resource };
}

/** A body that is neither JSON nor YAML is a 400, as on the real server. */
function parseOrReject(text: string, model: string | undefined): ReturnType<typeof parseBody> {
  try {
    return parseBody(text, model);
  } catch (error) {
    throw badRequest(
      `the body of the request was in an unknown format: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** Parses a create/update body with the real decoder's strictness rules. */
function decodeObject(request: Request, text: string): KubeObject {
  const { info } = request.target;
  const model = modelOf(info);
  const parsed = parseOrReject(text, model);
  if (!isObject(parsed.value)) throw badRequest("the body of the request was in an unknown format");
  reportProblems(
    request.context,
    parsed.problems,
    (joined) =>
      `${info.kind} in version "${info.version}" cannot be handled as a ${info.kind}: strict decoding error: ${joined}`,
  );
  if (model) pruneUnknownFields(parsed.value, model);
  return checkIdentity(request, parsed.value);
}

/** apiVersion/kind must match the endpoint; namespace and name come from the URL when absent. */
function checkIdentity(request: Request, value: JsonObject): KubeObject {
  const { info, namespace, name } = request.target;
  const expected = groupVersion(info);
  if (value.apiVersion !== undefined && value.apiVersion !== expected) {
    throw badRequest(
      `the API version in the data (${String(value.apiVersion)}) does not match the expected API version (${expected})`,
    );
  }
  if (value.kind !== undefined && value.kind !== info.kind) {
    throw badRequest(
      `the kind in the data (${String(value.kind)}) does not match the expected kind (${info.kind})`,
    );
  }
  const metadata = isObject(value.metadata) ? value.metadata : {};
  if (info.namespaced) {
    if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
      throw badRequest(
        "the namespace of the provided object does not match the namespace sent on the request",
      );
    }
    metadata.namespace = namespace;
  }
  if (name !== undefined && metadata.name !== undefined && metadata.name !== name) {
    throw badRequest(
      `the name of the object (${String(metadata.name)}) does not match the name on the URL (${name})`,
    );
  }
  if (name !== undefined) metadata.name = name;
  return { ...value, apiVersion: expected, kind: info.kind, metadata } as KubeObject;
}

export function create(request: Request, body: string): WriteResult {
  const object = decodeObject(request, body);
  if (!request.target.info.namespaced) delete object.metadata.namespace;
  applyDefaults(object);
  object.metadata.managedFields = recordUpdate(undefined, object as JsonObject, ownership(request));
  const created = request.store.create(ref(request.target.info), object, {
    dryRun: request.context.dryRun,
    fieldManager: request.context.fieldManager,
  });
  return { code: 201, body: created };
}

function current(request: Request): KubeObject {
  const { info, namespace, name } = request.target;
  const found = request.store.get(ref(info), namespace, name ?? "");
  if (!found)
    throw new StoreError(404, "NotFound", `${qualifiedResource(info)} "${name}" not found`, {
      name,
      group: info.group,
      kind: info.resource,
    });
  return found;
}

/** Stores `next` (already computed from `before`) with ownership recorded for the writer. */
function store(request: Request, before: KubeObject, next: KubeObject, subresource?: "status"): WriteResult {
  next.metadata.managedFields = recordUpdate(
    before as JsonObject,
    next as JsonObject,
    ownership(request, subresource),
  );
  const updated = request.store.update(ref(request.target.info), next, {
    dryRun: request.context.dryRun,
    fieldManager: request.context.fieldManager,
    ...(subresource ? { subresource } : {}),
  });
  return { code: 200, body: updated };
}

export function update(request: Request, body: string): WriteResult {
  const { subresource } = request.target;
  if (subresource === "scale") return updateScale(request, body);
  const object = decodeObject(request, body);
  const before = current(request);
  applyDefaults(object);
  return store(request, before, object, subresource === "status" ? "status" : undefined);
}

function patched(request: Request, base: JsonObject, contentType: string, body: string): JsonObject {
  let patch: unknown;
  const parsed = parseOrReject(body, undefined);
  patch = parsed.value;
  reportProblems(request.context, parsed.problems, (joined) => `strict decoding error: ${joined}`);
  if (contentType === "application/json-patch+json") {
    if (!Array.isArray(patch))
      throw badRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    try {
      return fastJsonPatch.applyPatch(structuredClone(base), patch as Operation[], true, false).newDocument;
    } catch (error) {
      throw new StoreError(
        422,
        "Invalid",
        `the server rejected our request due to an error in our request: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      );
    }
  }
  if (!isObject(patch)) throw badRequest("the body of the request was in an unknown format");
  if (contentType === "application/merge-patch+json") return mergePatch(base, patch) as JsonObject;
  return strategicMergePatch(base, patch) as JsonObject;
}

const patchTypes = [
  "application/json-patch+json",
  "application/merge-patch+json",
  "application/strategic-merge-patch+json",
  "application/apply-patch+yaml",
];

export function patch(request: Request, contentType: string, body: string): WriteResult {
  if (!patchTypes.includes(contentType)) {
    throw new StoreError(
      415,
      "UnsupportedMediaType",
      `the body of the request was in an unknown format - accepted media types include: ${patchTypes.join(", ")}`,
    );
  }
  if (contentType === "application/apply-patch+yaml") return serverSideApply(request, body);
  if (request.context.force) throw badRequest("force: Forbidden: may not be specified for non-apply patch");
  if (request.target.subresource === "scale") return patchScale(request, contentType, body);
  const before = current(request);
  const result = patched(request, before as JsonObject, contentType, body);
  const model = modelOf(request.target.info);
  if (model) {
    const unknown = unknownFields(result, model).map((path) => `unknown field "${path}"`);
    reportProblems(request.context, unknown, (joined) => `strict decoding error: ${joined}`);
    pruneUnknownFields(result, model);
  }
  const next = checkIdentity(request, result);
  applyDefaults(next);
  return store(request, before, next, request.target.subresource === "status" ? "status" : undefined);
}

function serverSideApply(request: Request, body: string): WriteResult {
  const { info, namespace, name, subresource } = request.target;
  if (!request.context.explicitFieldManager) {
    throw new StoreError(
      422,
      "Invalid",
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  }
  let parsed: ReturnType<typeof parseBody>;
  try {
    parsed = parseBody(body, undefined);
  } catch (error) {
    throw badRequest(`error decoding YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(parsed.value))
    throw badRequest("error decoding YAML: the applied configuration is not an object");
  reportProblems(request.context, parsed.problems, (joined) => `error strict decoding YAML: ${joined}`);
  const model = modelOf(info);
  const unknown = model ? unknownFields(parsed.value, model) : [];
  if (unknown.length > 0) {
    throw badRequest(
      `failed to create typed patch object (${namespace ? `${namespace}/` : ""}${name}; ${groupVersion(info)}, Kind=${info.kind}): .${unknown[0]}: field not declared in schema`,
    );
  }
  const config = checkIdentity(request, parsed.value);
  const live = request.store.get(ref(info), namespace, name ?? "");
  const status: "status" | undefined = subresource === "status" ? "status" : undefined;
  const context = ownership(request, status);
  const liveObject = live as JsonObject | undefined;
  let result: ReturnType<typeof apply>;
  try {
    result = apply(liveObject, config as JsonObject, context, request.context.force);
  } catch (error) {
    const forgiven =
      error instanceof ApplyConflictError &&
      conflictsForgivenByLastApplied(liveObject, context.manager, error.conflicts, context);
    if (!forgiven) throw error;
    result = apply(liveObject, config as JsonObject, context, true);
  }
  const object = result.object as KubeObject;
  object.apiVersion = groupVersion(info);
  object.kind = info.kind;
  object.metadata = {
    ...object.metadata,
    name,
    ...(info.namespaced ? { namespace } : {}),
    managedFields: result.managedFields,
  };
  const wantedVersion = config.metadata.resourceVersion;
  if (wantedVersion) object.metadata.resourceVersion = wantedVersion;
  applyDefaults(object);
  const options: WriteOptions = {
    dryRun: request.context.dryRun,
    fieldManager: request.context.fieldManager,
    ...(status ? { subresource: status } : {}),
  };
  if (!live) {
    if (status) current(request);
    return { code: 201, body: request.store.create(ref(info), object, options) };
  }
  return { code: 200, body: request.store.update(ref(info), object, options) };
}

/** autoscaling/v1 Scale of a Deployment or ReplicaSet. */
export function scaleOf(object: KubeObject): JsonObject {
  const spec = isObject(object.spec) ? object.spec : {};
  const status = isObject(object.status) ? object.status : {};
  const selector =
    isObject(spec.selector) && isObject(spec.selector.matchLabels) ? spec.selector.matchLabels : {};
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      uid: object.metadata.uid,
      resourceVersion: object.metadata.resourceVersion,
      creationTimestamp: object.metadata.creationTimestamp,
    },
    spec: { replicas: typeof spec.replicas === "number" ? spec.replicas : 0 },
    status: {
      replicas: typeof status.replicas === "number" ? status.replicas : 0,
      selector: Object.entries(selector)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(","),
    },
  };
}

function writeScale(request: Request, before: KubeObject, scale: JsonObject): WriteResult {
  const replicas = isObject(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
    throw new StoreError(
      422,
      "Invalid",
      `Scale.autoscaling "${request.target.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`,
    );
  }
  const next = structuredClone(before);
  next.spec = { ...(isObject(next.spec) ? next.spec : {}), replicas };
  const version = isObject(scale.metadata) ? scale.metadata.resourceVersion : undefined;
  if (typeof version === "string" && version !== "") next.metadata.resourceVersion = version;
  next.metadata.managedFields = recordUpdate(
    before as JsonObject,
    next as JsonObject,
    ownership(request, "scale"),
  );
  const updated = request.store.update(ref(request.target.info), next, {
    dryRun: request.context.dryRun,
    fieldManager: request.context.fieldManager,
  });
  return { code: 200, body: scaleOf(updated) };
}

function updateScale(request: Request, body: string): WriteResult {
  const parsed = parseOrReject(body, "V1Scale");
  reportProblems(
    request.context,
    parsed.problems,
    (joined) => `Scale in version "v1" cannot be handled as a Scale: strict decoding error: ${joined}`,
  );
  if (!isObject(parsed.value)) throw badRequest("the body of the request was in an unknown format");
  return writeScale(request, current(request), parsed.value);
}

function patchScale(request: Request, contentType: string, body: string): WriteResult {
  const before = current(request);
  return writeScale(request, before, patched(request, scaleOf(before), contentType, body));
}

/** DeleteOptions from the body (kubectl sends one) and the query parameters. */
export function deleteOptions(query: URLSearchParams, body: string): V1DeleteOptions {
  const fromBody = body.trim() === "" ? {} : (parseOrReject(body, undefined).value as V1DeleteOptions);
  const grace = query.get("gracePeriodSeconds");
  const policy = query.get("propagationPolicy");
  return {
    ...fromBody,
    ...(grace !== null ? { gracePeriodSeconds: Number(grace) } : {}),
    ...(policy !== null ? { propagationPolicy: policy } : {}),
    ...(query.get("orphanDependents") === "true" ? { propagationPolicy: "Orphan" } : {}),
  };
}

export function remove(request: Request, options: V1DeleteOptions): WriteResult {
  const { info, namespace, name } = request.target;
  const policy = options.propagationPolicy ?? (options.orphanDependents ? "Orphan" : undefined);
  if (policy !== undefined && policy !== "Background" && policy !== "Foreground" && policy !== "Orphan") {
    throw new StoreError(
      422,
      "Invalid",
      `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan", "nil"`,
    );
  }
  const dryRun = request.context.dryRun || (options.dryRun ?? []).includes("All");
  const result = request.store.delete(ref(info), namespace, name ?? "", {
    ...(options.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: options.gracePeriodSeconds } : {}),
    ...(policy ? { propagationPolicy: policy } : {}),
    ...(options.preconditions
      ? {
          preconditions: {
            uid: options.preconditions.uid,
            resourceVersion: options.preconditions.resourceVersion,
          },
        }
      : {}),
    dryRun,
  });
  const stillThere = !dryRun && request.store.get(ref(info), namespace, name ?? "") !== undefined;
  return { code: stillThere ? 202 : 200, body: result };
}
