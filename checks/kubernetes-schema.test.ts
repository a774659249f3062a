// Every object kustomize renders from k8s/prod and k8s/local, checked against Kubernetes' schemas: types,
// enums and required fields (kubernetes-models), fields the API
// server does not know (client-node's generated models for built-in kinds, walked by the local platform's
// field validation; the CRDs in checks/crds/ for custom kinds).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
// The local API server's own walk of client-node's generated models (what its field validation rejects).
import { modelTypeFor, unknownFields } from "../local/kube/apiserver/field-validation.ts";
import { crdProblems } from "./crd-schema.ts";
import { type KubeObject, overlays, renderKustomization } from "./render.ts";

type Validating = new (data: never) => { validate(): void };

const models: Record<string, Validating> = {
  "v1 ConfigMap": ConfigMap,
  "v1 Secret": Secret,
  "v1 Service": Service,
  "v1 ServiceAccount": ServiceAccount,
  "apps/v1 Deployment": Deployment,
  "autoscaling/v2 HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "networking.k8s.io/v1 Ingress": Ingress,
  "networking.k8s.io/v1 NetworkPolicy": NetworkPolicy,
  "policy/v1 PodDisruptionBudget": PodDisruptionBudget,
};

/** Every schema problem of one rendered object, each naming the object and the field. */
export function schemaProblems(object: KubeObject): string[] {
  const where = `${object.kind} ${object.metadata.name}`;
  const problems: string[] = [];
  const Model = models[`${object.apiVersion} ${object.kind}`];
  if (Model) {
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const builtIn = modelTypeFor(object.apiVersion, object.kind);
  const custom = crdProblems(object);
  if (builtIn)
    problems.push(...unknownFields(object, builtIn).map((path) => `${where}: unknown field ${path}`));
  else if (custom) problems.push(...custom.map((p) => `${where}: ${p}`));
  if (!Model && !builtIn && !custom)
    problems.push(`${where}: no schema for ${object.apiVersion} ${object.kind}`);
  return problems;
}

for (const overlay of overlays) {
  describe(`${overlay} against Kubernetes' schemas`, async () => {
    const objects = await renderKustomization(overlay);

    it("renders objects", () => assert.ok(objects.length >= 8, `${objects.length} objects`));

    for (const object of objects) {
      it(`${object.kind} ${object.metadata.name}`, () => assert.deepEqual(schemaProblems(object), []));
    }
  });
}

describe("the schema checks catch", () => {
  const deployment = (container: Record<string, unknown>): KubeObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: {
      selector: { matchLabels: { a: "b" } },
      template: {
        metadata: { labels: { a: "b" } },
        spec: { containers: [{ name: "api", image: "i", ...container }] },
      },
    },
  });

  it("an unknown field of a built-in kind, with its path", () => {
    assert.deepEqual(schemaProblems(deployment({ readinesProbe: {} })), [
      "Deployment d: unknown field spec.template.spec.containers[0].readinesProbe",
    ]);
  });

  it("an unknown field inside a map of a built-in kind", () => {
    const problems = schemaProblems(deployment({ resources: { limits: { cpu: "1" }, limit: {} } }));
    assert.deepEqual(problems, [
      "Deployment d: unknown field spec.template.spec.containers[0].resources.limit",
    ]);
  });

  it("a wrong type", () => {
    const [problem] = schemaProblems(deployment({ ports: [{ containerPort: "8080" }] }));
    assert.match(problem ?? "", /^Deployment d: .*containerPort must be integer/);
  });

  it("an unknown field of a custom kind", () => {
    const monitor: KubeObject = {
      apiVersion: "azmonitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "m" },
      spec: { selector: {}, endpoints: [{ port: "metrics", intervall: "30s" }] },
    };
    assert.deepEqual(schemaProblems(monitor), [
      "ServiceMonitor m: /spec/endpoints/0 must NOT have additional properties (intervall)",
    ]);
  });

  it("a wrong type in a custom kind", () => {
    const monitor: KubeObject = {
      apiVersion: "azmonitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "m" },
      spec: { selector: {}, labelLimit: "63", endpoints: [{ port: "metrics" }] },
    };
    assert.deepEqual(schemaProblems(monitor), ["ServiceMonitor m: /spec/labelLimit must be integer"]);
  });

  it("prometheus-operator's ServiceMonitor, which managed Prometheus does not read", () => {
    const monitor: KubeObject = {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "ServiceMonitor",
      metadata: { name: "m" },
      spec: { selector: {}, endpoints: [{ port: "metrics" }] },
    };
    assert.deepEqual(schemaProblems(monitor), [
      "ServiceMonitor m: no schema for monitoring.coreos.com/v1 ServiceMonitor",
    ]);
  });

  it("a kind nothing here describes", () => {
    const object: KubeObject = { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } };
    assert.deepEqual(schemaProblems(object), ["Widget w: no schema for example.com/v1 Widget"]);
  });
});
