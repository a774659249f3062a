import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { KubeConfig, type KubernetesObject, KubernetesObjectApi } from "@kubernetes/client-node";
import { guessResource, kindsDefinedBy, lookUpKind } from "./cluster-kinds.ts";
import { startTestApiServer, type TestApiServer } from "./testing/fixtures.ts";

let server: TestApiServer;
let objectApi: KubernetesObjectApi;

before(async () => {
  server = await startTestApiServer();
  objectApi = server.objectApi;
});
after(() => server.stop());

describe("guessResource", () => {
  test("kubectl's plural guess", () => {
    assert.equal(guessResource("Certificate"), "certificates");
    assert.equal(guessResource("NetworkPolicy"), "networkpolicies");
    assert.equal(guessResource("Gateway"), "gateways");
    assert.equal(guessResource("Ingress"), "ingresses");
  });
});

describe("lookUpKind through the cluster's discovery", () => {
  test("served kinds with their scope, CRD kinds included", async () => {
    assert.deepEqual(await lookUpKind(objectApi, "apps/v1", "Deployment"), {
      served: true,
      namespaced: true,
    });
    assert.deepEqual(await lookUpKind(objectApi, "rbac.authorization.k8s.io/v1", "ClusterRole"), {
      served: true,
      namespaced: false,
    });
    assert.deepEqual(await lookUpKind(objectApi, "cert-manager.io/v1", "Certificate"), {
      served: true,
      namespaced: true,
    });
  });

  test("not served: a missing CRD is named; built-in groups get the version to use", async () => {
    assert.deepEqual(await lookUpKind(objectApi, "gateway.networking.example.io/v1", "Gateway"), {
      served: false,
      message:
        "the cluster does not serve gateway.networking.example.io/v1 Gateway: the CustomResourceDefinition gateways.gateway.networking.example.io is missing",
      hint: "install the CRD (or the operator that brings it) before deploying, or check apiVersion and kind",
    });
    assert.deepEqual(await lookUpKind(objectApi, "cert-manager.io/v1", "Certifcate"), {
      served: false,
      message:
        "the cluster does not serve cert-manager.io/v1 Certifcate: the CustomResourceDefinition certifcates.cert-manager.io is missing",
      hint: "install the CRD (or the operator that brings it) before deploying, or check apiVersion and kind",
    });
    assert.deepEqual(await lookUpKind(objectApi, "autoscaling/v2beta2", "HorizontalPodAutoscaler"), {
      served: false,
      message: "the cluster does not serve autoscaling/v2beta2 HorizontalPodAutoscaler",
      hint: "use apiVersion autoscaling/v1 or autoscaling/v2",
    });
    assert.deepEqual(await lookUpKind(objectApi, "apps/v1", "Deploy"), {
      served: false,
      message: "the cluster does not serve apps/v1 Deploy",
      hint: "check apiVersion and kind",
    });
  });

  test("an unreachable cluster is thrown, not reported as a problem of the manifests", async () => {
    const config = new KubeConfig();
    config.loadFromClusterAndUser(
      { name: "gone", server: "https://127.0.0.1:1", skipTLSVerify: true },
      { name: "u", token: "t" },
    );
    await assert.rejects(lookUpKind(KubernetesObjectApi.makeApiClient(config), "v1", "ConfigMap"));
  });
});

describe("kindsDefinedBy", () => {
  test("every served version of each CustomResourceDefinition in the manifests, with its scope", () => {
    const crd = (kind: string, scope: string, versions: string[]): KubernetesObject =>
      ({
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: `${kind.toLowerCase()}s.example.com` },
        spec: {
          group: "example.com",
          scope,
          names: { kind },
          versions: versions.map((name) => ({ name, served: true })),
        },
      }) as KubernetesObject;
    assert.deepEqual(
      [
        ...kindsDefinedBy([
          crd("Widget", "Namespaced", ["v1", "v2"]),
          crd("Realm", "Cluster", ["v1"]),
          { apiVersion: "v1", kind: "ConfigMap" },
        ]),
      ],
      [
        ["example.com/v1 Widget", { served: true, namespaced: true, definedInManifests: true }],
        ["example.com/v2 Widget", { served: true, namespaced: true, definedInManifests: true }],
        ["example.com/v1 Realm", { served: true, namespaced: false, definedInManifests: true }],
      ],
    );
  });
});
