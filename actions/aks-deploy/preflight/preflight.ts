// The pre-flight: every check on every document, all problems reported, nothing applied. Static checks
// first (schema, fields, names, policy), then the API server's server-side dry run of each object that
// passed them. The objects returned are the ones to apply: namespace set, images substituted.
import { ApiException, type KubernetesObject, type KubernetesObjectApi } from "@kubernetes/client-node";
import type { Problem } from "../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../manifests/manifest-document.ts";
import { type KindLookup, kindsDefinedBy, lookUpKind } from "./cluster-kinds.ts";
import { dryRunProblems } from "./dry-run.ts";
import { duplicateObjectProblems } from "./duplicate-objects.ts";
import { type ImageSubstitution, substituteImages } from "./image-substitution.ts";
import { nameProblems } from "./names.ts";
import { targetNamespace } from "./namespace.ts";
import { objectSizeProblems } from "./object-size.ts";
import { containerPolicyProblems } from "./policy/container-policy.ts";
import { pinnedImageProblems } from "./policy/pinned-images.ts";
import { rolloutStrategyProblems } from "./policy/rollout-strategy.ts";
import { secretDataProblems } from "./policy/secret-data.ts";
import { schemaProblems } from "./schema.ts";
import { selectorProblems } from "./selector-matches-labels.ts";
import { unknownFieldProblems } from "./unknown-fields.ts";

export interface PreflightOptions {
  /** Target namespace: set on namespaced objects that name none; any other is a problem. */
  namespace: string;
  images: ImageSubstitution[];
  objectApi: KubernetesObjectApi;
  /** The field manager the apply will use, so the dry run sees the same ownership. */
  fieldManager: string;
}

export interface PreflightResult {
  /** The objects to apply, in document order (meaningful when problems is empty). */
  objects: KubernetesObject[];
  problems: Problem[];
}

/** Checks on the document as written. */
const writtenChecks = [
  schemaProblems,
  unknownFieldProblems,
  nameProblems,
  selectorProblems,
  objectSizeProblems,
];
/** Checks on the object as it will be applied (images substituted). */
const appliedChecks = [
  rolloutStrategyProblems,
  containerPolicyProblems,
  pinnedImageProblems,
  secretDataProblems,
];

async function namespaceExists(objectApi: KubernetesObjectApi, name: string): Promise<boolean> {
  try {
    await objectApi.read({ apiVersion: "v1", kind: "Namespace", metadata: { name } });
    return true;
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return false;
    throw error;
  }
}

/**
 * Runs every check. Throws only what is not a problem of the input: the cluster unreachable, credentials
 * refused (401), server errors; the caller reports those as "not started".
 */
export async function runPreflight(
  documents: ManifestDocument[],
  options: PreflightOptions,
): Promise<PreflightResult> {
  const { namespace, objectApi } = options;
  const objects = documents.map((document) => structuredClone(document.object));
  const found: Problem[][] = documents.map(() => []);
  const kinds = new Map<string, KindLookup>();
  const definedInManifests = kindsDefinedBy(objects);
  for (const [position, document] of documents.entries()) {
    const { apiVersion = "", kind = "" } = document.object;
    const key = `${apiVersion} ${kind}`;
    let lookup = kinds.get(key) ?? (await lookUpKind(objectApi, apiVersion, kind));
    // A kind the cluster does not serve yet, whose CRD these manifests bring (applied first).
    if (!lookup.served) lookup = definedInManifests.get(key) ?? lookup;
    kinds.set(key, lookup);
    const problems = found[position] ?? [];
    if (lookup.served)
      problems.push(
        ...targetNamespace(document, objects[position] ?? document.object, lookup.namespaced, namespace),
      );
    else problems.push(problemAt(document, "kind", lookup.message, lookup.hint));
    for (const check of writtenChecks) problems.push(...check(document));
  }
  const substitutionProblems = substituteImages(objects, options.images);
  for (const [position, document] of documents.entries()) {
    const applied = { ...document, object: objects[position] ?? document.object };
    for (const check of appliedChecks) found[position]?.push(...check(applied));
  }
  const duplicates = duplicateObjectProblems(documents, objects);

  // Objects of a Namespace the manifests create cannot be dry-run before it exists.
  const createsTarget = objects.some(
    (object) => object.kind === "Namespace" && object.metadata?.name === namespace,
  );
  const skipNamespaced = createsTarget && !(await namespaceExists(objectApi, namespace));
  for (const [position, document] of documents.entries()) {
    const object = objects[position];
    const lookup = kinds.get(`${document.object.apiVersion ?? ""} ${document.object.kind ?? ""}`);
    if (!object || !lookup?.served || (found[position]?.length ?? 0) > 0) continue;
    // Its CRD is not in the cluster until the apply: the server cannot judge it yet.
    if (lookup.definedInManifests) continue;
    if (skipNamespaced && lookup.namespaced) continue;
    found[position]?.push(...(await dryRunProblems(document, object, objectApi, options.fieldManager)));
  }
  return { objects, problems: [...substitutionProblems, ...found.flat(), ...duplicates] };
}
