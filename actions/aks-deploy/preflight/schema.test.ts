import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { schemaKnows, schemaProblems, schemaVersionsOf } from "./schema.ts";
import { documentOf } from "./testing/fixtures.ts";

describe("schemaProblems", () => {
  test("one problem per field: types, enums, quantities, int-or-string, required", () => {
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "api", labels: { tier: 1 } },
      spec: { type: "Balancer", ports: [{ port: "80", targetPort: true }, { protocol: "TCP" }] },
    };
    assert.deepEqual(
      schemaProblems(documentOf(service, "m.yaml", 2, 7)).map((problem) => [problem.path, problem.message]),
      [
        ["spec.ports[1].port", "required field is missing"],
        ["metadata.labels.tier", "must be a string, got 1"],
        ["spec.ports[0].port", 'must be an integer, got "80"'],
        ["spec.ports[0].targetPort", "must be a string or an integer, got true"],
        ["spec.type", '"Balancer" is not one of "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
      ],
    );
    const limits = {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "l" },
      spec: { limits: [{ type: "Container", max: { cpu: "2 cores" } }] },
    };
    assert.deepEqual(schemaProblems(documentOf(limits, "m.yaml", 2, 7)), [
      {
        file: "m.yaml",
        document: 2,
        line: 7,
        path: "spec.limits[0].max.cpu",
        message: '"2 cores" is not a quantity (e.g. 250m, 1, 512Mi, 2Gi)',
      },
    ]);
  });

  test("a valid object, and kinds the schema does not know, give nothing", () => {
    assert.deepEqual(
      schemaProblems(
        documentOf({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" }, data: { a: "b" } }),
      ),
      [],
    );
    assert.deepEqual(
      schemaProblems(documentOf({ apiVersion: "cert-manager.io/v1", kind: "Certificate", spec: 3 })),
      [],
    );
  });

  test("schemaKnows and schemaVersionsOf", () => {
    assert.equal(schemaKnows("apps/v1", "Deployment"), true);
    assert.equal(schemaKnows("apps/v1", "DeploymentList"), false);
    assert.equal(schemaKnows("cert-manager.io/v1", "Certificate"), false);
    assert.ok(schemaVersionsOf("Deployment").includes("apps/v1"));
  });
});
