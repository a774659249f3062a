import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { customResourcesOf, prodManifests } from "./prod-custom-resources.ts";

describe("the custom resources k8s/prod applies", () => {
  test("are read from its manifests: managed Prometheus' ServiceMonitor only", () => {
    assert.deepEqual(customResourcesOf(prodManifests()), { servicemonitors: "azmonitoring.coreos.com" });
  });

  test("leave built-in kinds out and name a kind checks/crds has no CRD for", () => {
    const manifests = [
      { apiVersion: "v1", kind: "Service" },
      { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
      { apiVersion: "azmonitoring.coreos.com/v1", kind: "ServiceMonitor" },
      { apiVersion: "secrets-store.csi.x-k8s.io/v1", kind: "SecretProviderClass" },
    ];
    assert.deepEqual(customResourcesOf(manifests), {
      "secretproviderclass (no CRD in checks/crds)": "secrets-store.csi.x-k8s.io",
      servicemonitors: "azmonitoring.coreos.com",
    });
  });
});
