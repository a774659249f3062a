// One Kubernetes object as read from the manifests, with where it came from so every problem can point at it.
import type { KubernetesObject } from "@kubernetes/client-node";

export interface ManifestDocument {
  /** The file as the input named it (joined to its folder), or the kustomization folder it was rendered from. */
  file: string;
  /** 0-based position of the document in the file's YAML stream (empty documents count too). */
  index: number;
  /** 1-based line where the document's content starts. */
  line: number;
  object: KubernetesObject;
}

/** Shape of a reported problem; replaced by actions/lib/report's Problem once it exists. */
export type ProblemShape = {
  file?: string;
  document?: number;
  path?: string;
  message: string;
  hint?: string;
};

/** A problem located at a field of one document. */
export function problemAt(
  document: ManifestDocument,
  path: string | undefined,
  message: string,
  hint?: string,
) {
  const problem: ProblemShape = { file: document.file, document: document.index, message };
  if (path !== undefined) problem.path = path;
  if (hint !== undefined) problem.hint = hint;
  return problem;
}
