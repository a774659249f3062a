// One Kubernetes object as read from the manifests, with where it came from so every problem can point at it.
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Problem } from "../../lib/report/problem.ts";

export interface ManifestDocument {
  /**
   * The file as the input named it (joined to its folder), or the kustomization folder it was rendered
   * from; then index and lines count in the rendered stream (`kubectl kustomize <folder>` shows it).
   */
  file: string;
  /** 0-based position of the document in the file's YAML stream (empty documents count too). */
  index: number;
  /** 1-based line where the document's content starts. */
  line: number;
  object: KubernetesObject;
  /** 1-based line of each field written in the document, by path (`spec.template.spec.containers[0].image`). */
  fieldLines?: ReadonlyMap<string, number>;
}

/** The line of a field, or of its nearest written parent (a missing field is reported where it belongs). */
export function lineOf(document: ManifestDocument, path: string | undefined): number {
  let current = path ?? "";
  while (current !== "") {
    const line = document.fieldLines?.get(current);
    if (line !== undefined) return line;
    const parent = current.replace(/(\.[^.[\]]*|\[\d+\])$/, "");
    if (parent === current) break;
    current = parent;
  }
  return document.line;
}

/** A problem at a field of one document (path undefined: the document as a whole). */
export function problemAt(
  document: ManifestDocument,
  path: string | undefined,
  message: string,
  hint?: string,
): Problem {
  return {
    file: document.file,
    document: document.index,
    line: lineOf(document, path),
    ...(path === undefined ? {} : { path }),
    message,
    ...(hint === undefined ? {} : { hint }),
  };
}
