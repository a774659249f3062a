import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { workload } from "../testing/workloads.ts";
import {
  changeCauseAnnotation,
  containerImages,
  provenanceAnnotations,
  withProvenance,
} from "./provenance.ts";

describe("provenance", () => {
  test("change-cause and provenance land on the Deployment's metadata, not its pod template", () => {
    const deployment = workload({ image: `acr.example.test/api@sha256:${"a".repeat(64)}` });
    const annotated = withProvenance(deployment, {
      changeCause: "deploy abc123 by octocat",
      commit: "abc123",
      run: "https://github.example.test/o/r/actions/runs/1",
      actor: "octocat",
      images: containerImages(deployment),
    });
    assert.deepEqual(annotated.metadata?.annotations, {
      [changeCauseAnnotation]: "deploy abc123 by octocat",
      [provenanceAnnotations.run]: "https://github.example.test/o/r/actions/runs/1",
      [provenanceAnnotations.images]: `app=acr.example.test/api@sha256:${"a".repeat(64)}`,
      [provenanceAnnotations.commit]: "abc123",
      [provenanceAnnotations.actor]: "octocat",
    });
    assert.deepEqual(annotated.spec?.template, deployment.spec?.template);
  });
});
