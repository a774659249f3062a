import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { KubernetesObject } from "@kubernetes/client-node";
import { parseImageSubstitution, substituteImages } from "./image-substitution.ts";

const digest = `sha256:${"c".repeat(64)}`;
const reference = `127.0.0.1:5000/cloudjobhunt/api@${digest}`;

describe("parseImageSubstitution", () => {
  test("<container>=<reference pinned by digest>, with a registry port, spaces trimmed", () => {
    assert.deepEqual(parseImageSubstitution(` api = ${reference} `), { container: "api", reference });
    assert.deepEqual(parseImageSubstitution(`api=myacr.azurecr.io/api:1.2@${digest}`), {
      container: "api",
      reference: `myacr.azurecr.io/api:1.2@${digest}`,
    });
  });

  test("every malformed line says what is wrong", () => {
    const cases: [string, string][] = [
      [reference, `image "${reference}" must be <container>=<registry>/<repository>@sha256:<digest>`],
      [
        `API=${reference}`,
        `image "API=${reference}": "API" is not a container name (lowercase letters, digits and '-', at most 63)`,
      ],
      [
        `=${reference}`,
        `image "=${reference}": "" is not a container name (lowercase letters, digits and '-', at most 63)`,
      ],
      [
        "api=myacr.azurecr.io/api:1.2",
        'image "api=myacr.azurecr.io/api:1.2": "myacr.azurecr.io/api:1.2" is not pinned by digest; write it as <container>=<registry>/<repository>@sha256:<digest>',
      ],
      [
        "api=myacr.azurecr.io/api@sha256:abc",
        'image "api=myacr.azurecr.io/api@sha256:abc": invalid image reference "myacr.azurecr.io/api@sha256:abc": digest "sha256:abc" must be algorithm:hex, e.g. sha256:<64 hex digits>',
      ],
      ["api=", 'image "api=": invalid image reference "": it is empty'],
    ];
    for (const [text, message] of cases) assert.throws(() => parseImageSubstitution(text), { message }, text);
  });
});

describe("substituteImages", () => {
  const workload = (kind: string, apiVersion: string, spec: object) =>
    ({ apiVersion, kind, metadata: { name: "w" }, spec }) as KubernetesObject;
  const pod = () => ({
    initContainers: [{ name: "api", image: "a:old" }],
    containers: [
      { name: "api", image: "a:old" },
      { name: "sidecar", image: "s:1" },
    ],
  });

  test("replaces the named container's image in every workload kind, init containers too; others untouched", () => {
    const objects = [
      workload("Deployment", "apps/v1", { template: { spec: pod() } }),
      workload("StatefulSet", "apps/v1", { template: { spec: pod() } }),
      workload("DaemonSet", "apps/v1", { template: { spec: pod() } }),
      workload("Job", "batch/v1", { template: { spec: pod() } }),
      workload("CronJob", "batch/v1", { jobTemplate: { spec: { template: { spec: pod() } } } }),
      workload("Pod", "v1", pod()),
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "api" },
        data: { image: "a:old" },
      } as KubernetesObject,
    ];
    assert.deepEqual(substituteImages(objects, [{ container: "api", reference }]), []);
    const images = JSON.stringify(objects);
    assert.equal(images.split(reference).length - 1, 12, "two per workload");
    assert.equal(images.split('"s:1"').length - 1, 6);
    assert.match(images, /"image":"a:old"/, "the ConfigMap's data is not a container");
  });

  test("a substitution matching no container and a container given twice are problems", () => {
    const objects = [workload("Deployment", "apps/v1", { template: { spec: pod() } })];
    assert.deepEqual(
      substituteImages(objects, [
        { container: "api", reference },
        { container: "api", reference },
        { container: "web", reference },
      ]),
      [
        {
          path: "image",
          message: 'container "api" is given more than one image',
          hint: "give each container one image line",
        },
        {
          path: "image",
          message: `image "web=${reference}" matches no container in the manifests`,
          hint: "the workloads' containers are: api, sidecar",
        },
      ],
    );
  });
});
