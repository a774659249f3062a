// Images are pinned by digest (a tag can move between pre-flight and pull), checked by the distribution
// grammar. A container whose image the pipeline substitutes is checked after substitution, so its
// manifest may carry a placeholder tag.
import { ImageReferenceError, parseImageReference } from "../../../lib/image-ref/parse.ts";
import type { Problem } from "../../../lib/report/problem.ts";
import { type ManifestDocument, problemAt } from "../../manifests/manifest-document.ts";
import { containersOf, podSpecOf } from "../pod-templates.ts";

/** `object` is the document's object after image substitution. */
export function pinnedImageProblems(document: ManifestDocument): Problem[] {
  const pod = podSpecOf(document.object);
  if (!pod) return [];
  const problems: Problem[] = [];
  for (const { path, container } of containersOf(pod)) {
    const image: unknown = container.image;
    if (typeof image !== "string") continue; // required and typed: the schema reports it
    const where = `${path}.image`;
    const substitute = `or pass image: ${typeof container.name === "string" ? container.name : "<container>"}=<registry>/<repository>@sha256:<digest>`;
    try {
      if (parseImageReference(image).digest === undefined) {
        problems.push(
          problemAt(
            document,
            where,
            `image "${image}" is not pinned by digest`,
            `write it as <registry>/<repository>@sha256:<digest>, ${substitute}`,
          ),
        );
      }
    } catch (error) {
      if (!(error instanceof ImageReferenceError)) throw error;
      problems.push(problemAt(document, where, error.message, `fix the reference, ${substitute}`));
    }
  }
  return problems;
}
