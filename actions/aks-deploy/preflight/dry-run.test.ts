import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  ApiException,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from "@kubernetes/client-node";
import type { ManifestDocument } from "../manifests/manifest-document.ts";
import { dryRunProblems } from "./dry-run.ts";
import { startTestApiServer, type TestApiServer } from "./testing/fixtures.ts";

let server: TestApiServer;
let objectApi: KubernetesObjectApi;

const configMap = (name: string, namespace = "prod"): KubernetesObject & { data: object } => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace },
  data: { a: "b" },
});
const at = (object: KubernetesObject): ManifestDocument => ({ file: "m.yaml", index: 3, line: 12, object });

const header = (name: string) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "prod" },
});

async function notFound(name: string): Promise<boolean> {
  try {
    await objectApi.read(header(name));
    return false;
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return true;
    throw error;
  }
}

before(async () => {
  server = await startTestApiServer();
  objectApi = server.objectApi;
  await objectApi.create({ apiVersion: "v1", kind: "Namespace", metadata: { name: "prod" } });
});
after(() => server.stop());

describe("dryRunProblems", () => {
  test("an object the server accepts: no problems, and nothing is created", async () => {
    const object = configMap("settings");
    assert.deepEqual(await dryRunProblems(at(object), object, objectApi, "aks-deploy"), []);
    assert.equal(await notFound("settings"), true);
  });

  test("an existing object: the dry run leaves its resourceVersion and content alone", async () => {
    const created = await objectApi.patch(
      configMap("kept"),
      undefined,
      undefined,
      "aks-deploy",
      true,
      PatchStrategy.ServerSideApply,
    );
    const changed = { ...configMap("kept"), data: { a: "changed" } };
    assert.deepEqual(await dryRunProblems(at(changed), changed, objectApi, "aks-deploy"), []);
    const read = (await objectApi.read(header("kept"))) as KubernetesObject & { data?: object };
    assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);
    assert.deepEqual(read.data, { a: "b" });
  });

  test("the server's causes become problems at their field paths", async () => {
    const object = configMap("not_valid");
    assert.deepEqual(await dryRunProblems(at(object), object, objectApi, "aks-deploy"), [
      {
        file: "m.yaml",
        document: 3,
        line: 12,
        path: "metadata.name",
        message:
          "the API server rejects it (dry run, 422 Invalid): Invalid value: \"not_valid\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      },
    ]);
  });

  test("a field another pipeline manages is a problem before anything is applied; kubectl's are forced", async () => {
    const apply = (object: KubernetesObject & { data: object }, manager: string) =>
      objectApi.patch(object, undefined, undefined, manager, true, PatchStrategy.ServerSideApply);
    await apply({ ...configMap("shared"), data: { a: "theirs" } }, "other-pipeline");
    const ours = { ...configMap("shared"), data: { a: "ours" } };
    assert.deepEqual(await dryRunProblems(at(ours), ours, objectApi, "aks-deploy"), [
      {
        file: "m.yaml",
        document: 3,
        line: 12,
        message: 'fields are managed by "other-pipeline": the apply would conflict',
        hint: "leave those fields out of the manifests, or have that manager give them up",
      },
    ]);
    await apply({ ...configMap("edited"), data: { a: "by hand" } }, "kubectl-edit");
    const mine = { ...configMap("edited"), data: { a: "ours" } };
    assert.deepEqual(await dryRunProblems(at(mine), mine, objectApi, "aks-deploy"), []);
  });

  test("a namespace the cluster does not have", async () => {
    const object = configMap("settings", "staging");
    assert.deepEqual(await dryRunProblems(at(object), object, objectApi, "aks-deploy"), [
      {
        file: "m.yaml",
        document: 3,
        line: 12,
        path: "metadata.namespace",
        message: 'namespace "staging" does not exist in the cluster',
        hint: "create it first (the cluster's Terraform does), or add a Namespace object to the manifests",
      },
    ]);
  });

  test("refused credentials are thrown (the run did not start), not reported as a problem of the object", async () => {
    const config = new KubeConfig();
    config.loadFromFile(server.kubeconfigPath);
    const user = config.getCurrentUser();
    assert.ok(user);
    Object.assign(user, { token: "not-the-token" });
    const object = configMap("settings");
    await assert.rejects(
      dryRunProblems(at(object), object, KubernetesObjectApi.makeApiClient(config), "aks-deploy"),
      (error: unknown) => {
        assert.ok(error instanceof ApiException);
        assert.equal(error.code, 401);
        return true;
      },
    );
  });
});
