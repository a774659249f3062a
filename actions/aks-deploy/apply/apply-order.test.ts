import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { inApplyOrder } from "./apply-order.ts";

const object = (apiVersion: string, kind: string, name = kind.toLowerCase()) => ({
  apiVersion,
  kind,
  metadata: { name },
});

describe("apply order", () => {
  test("namespaces, CRDs, config and CRD-backed objects, services, workloads, then the rest", () => {
    const ordered = inApplyOrder([
      object("networking.k8s.io/v1", "Ingress"),
      object("apps/v1", "Deployment"),
      object("azmonitoring.coreos.com/v1", "ServiceMonitor"),
      object("v1", "Service"),
      object("monitoring.coreos.com/v1", "PrometheusRule"),
      object("secrets-store.csi.x-k8s.io/v1", "SecretProviderClass"),
      object("v1", "ConfigMap"),
      object("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
      object("autoscaling/v2", "HorizontalPodAutoscaler"),
      object("v1", "Namespace"),
      object("policy/v1", "PodDisruptionBudget"),
    ]);
    assert.deepEqual(
      ordered.map((entry) => entry.kind),
      [
        "Namespace",
        "CustomResourceDefinition",
        "SecretProviderClass",
        "ConfigMap",
        "Service",
        "Deployment",
        "Ingress",
        "ServiceMonitor",
        "PrometheusRule",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
      ],
    );
  });

  test("objects of one tier keep their manifest order", () => {
    const ordered = inApplyOrder([
      object("v1", "ConfigMap", "b"),
      object("v1", "Secret", "a"),
      object("v1", "ConfigMap", "a"),
    ]);
    assert.deepEqual(
      ordered.map((entry) => `${entry.kind}/${entry.metadata.name}`),
      ["ConfigMap/b", "Secret/a", "ConfigMap/a"],
    );
  });
});
