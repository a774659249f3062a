import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { documentOf } from "./testing/fixtures.ts";
import { unknownFieldProblems } from "./unknown-fields.ts";

const found = (object: object) =>
  unknownFieldProblems(documentOf(object)).map((problem) => [problem.path, problem.message, problem.hint]);

describe("unknownFieldProblems", () => {
  test("walks nested models, lists and maps; suggests the nearest field name", () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metdata: { name: "x" },
      spec: {
        template: {
          metadata: { labels: { "any-label": "is fine" }, annotations: { note: "free" } },
          spec: { containers: [{ name: "a", image: "i", env: [{ name: "A", vaule: "1" }], resource: {} }] },
        },
      },
      status: { replicas: 1 },
    };
    assert.deepEqual(found(deployment), [
      ["metdata", 'unknown field "metdata"', 'did you mean "metadata"?'],
      ["spec.template.spec.containers[0].env[0].vaule", 'unknown field "vaule"', 'did you mean "value"?'],
      ["spec.template.spec.containers[0].resource", 'unknown field "resource"', 'did you mean "resources"?'],
    ]);
  });

  test("a field nothing resembles points at kubectl explain", () => {
    assert.deepEqual(
      found({ apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { loadBalancing: "fast" } }),
      [
        [
          "spec.loadBalancing",
          'unknown field "loadBalancing"',
          "check spelling and indentation (kubectl explain service.spec)",
        ],
      ],
    );
  });

  test("core v1 Event and autoscaling/v2 find their models; CRD kinds are not walked", () => {
    assert.deepEqual(
      found({ apiVersion: "v1", kind: "Event", metadata: { name: "e" }, reasn: "x" })[0]?.[0],
      "reasn",
    );
    assert.deepEqual(
      found({
        apiVersion: "autoscaling/v2",
        kind: "HorizontalPodAutoscaler",
        metadata: { name: "h" },
        spec: { maxReplica: 3 },
      })[0]?.[2],
      'did you mean "maxReplicas"?',
    );
    assert.deepEqual(found({ apiVersion: "example.com/v1", kind: "Deployment", anything: true }), []);
  });
});
