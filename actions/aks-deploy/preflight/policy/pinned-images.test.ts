import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { pinnedImageProblems } from "./pinned-images.ts";

const digest = `sha256:${"d".repeat(64)}`;
const problems = (...images: string[]) =>
  pinnedImageProblems({
    file: "p.yaml",
    index: 0,
    line: 1,
    object: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: images.map((image, index) => ({ name: `c${index}`, image })) },
    } as KubernetesObject,
  }).map((problem) => [problem.path, problem.message]);

describe("pinnedImageProblems", () => {
  test("digests pass, with a tag beside, a registry port or an IPv6 registry", () => {
    assert.deepEqual(
      problems(
        `myacr.azurecr.io/api@${digest}`,
        `127.0.0.1:5000/api:1.0@${digest}`,
        `[::1]:5000/api@${digest}`,
      ),
      [],
    );
  });

  test("tags, short names and malformed references are problems", () => {
    assert.deepEqual(problems("myacr.azurecr.io/api:1.0", "nginx", "myacr.azurecr.io/api@md5:abc"), [
      ["spec.containers[0].image", 'image "myacr.azurecr.io/api:1.0" is not pinned by digest'],
      [
        "spec.containers[1].image",
        'invalid image reference "nginx": it names no registry host: write it as <registry>/<repository>, e.g. myacr.azurecr.io/team/app',
      ],
      [
        "spec.containers[2].image",
        'invalid image reference "myacr.azurecr.io/api@md5:abc": digest "md5:abc" must be algorithm:hex, e.g. sha256:<64 hex digits>',
      ],
    ]);
  });
});
