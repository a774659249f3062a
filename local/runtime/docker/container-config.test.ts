import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { V1Container } from "@kubernetes/client-node";
import { ContainerConfigError, createContainerBody, verifyRunAsNonRoot } from "./container-config.ts";
import { memoryBytes, nanoCpus } from "./quantity.ts";

const pod = { namespace: "prod", name: "api-1", uid: "u-1", annotations: {} };
const where = '(pod: "api-1_prod(u-1)", container: app)';
const container = (securityContext: V1Container["securityContext"]): V1Container => ({
  name: "app",
  image: "img",
  securityContext,
});

describe("runAsNonRoot, as the kubelet checks it", () => {
  test("refuses root images, non-numeric users and runAsUser 0 with the kubelet's messages", () => {
    const refused = (imageUser: string, securityContext: V1Container["securityContext"]) => {
      try {
        verifyRunAsNonRoot(pod, container(securityContext), imageUser);
      } catch (error) {
        assert.ok(error instanceof ContainerConfigError);
        assert.equal(error.reason, "CreateContainerConfigError");
        return error.message;
      }
      return undefined;
    };
    assert.equal(
      refused("", { runAsNonRoot: true }),
      `container has runAsNonRoot and image will run as root ${where}`,
    );
    assert.equal(
      refused("0:0", { runAsNonRoot: true }),
      `container has runAsNonRoot and image will run as root ${where}`,
    );
    assert.equal(
      refused("node", { runAsNonRoot: true }),
      `container has runAsNonRoot and image has non-numeric user (node), cannot verify user is non-root ${where}`,
    );
    assert.equal(
      refused("1000", { runAsNonRoot: true, runAsUser: 0 }),
      `container's runAsUser breaks non-root policy ${where}`,
    );
    assert.equal(refused("1000:1000", { runAsNonRoot: true }), undefined);
    assert.equal(refused("", { runAsNonRoot: true, runAsUser: 1000 }), undefined);
    assert.equal(refused("", {}), undefined);
  });
});

describe("the engine's create body", () => {
  test("command replaces ENTRYPOINT, args replace CMD, resources and securityContext map to HostConfig", () => {
    const body = createContainerBody({
      pod,
      sandboxId: "sandbox-id",
      network: "cjh0",
      launch: {
        spec: {
          name: "app",
          image: "127.0.0.1:5443/api@sha256:abc",
          command: ["node"],
          args: ["dist/server.mjs"],
          resources: { limits: { memory: "256Mi", cpu: "500m" }, requests: { cpu: "100m" } },
          securityContext: { runAsUser: 1000, runAsGroup: 1000, readOnlyRootFilesystem: true },
        },
        env: { PORT: "8080" },
      },
    }) as {
      Entrypoint: string[];
      Cmd: string[];
      Env: string[];
      User: string;
      HostConfig: Record<string, unknown>;
      Labels: Record<string, string>;
    };
    assert.deepEqual(body.Entrypoint, ["node"]);
    assert.deepEqual(body.Cmd, ["dist/server.mjs"]);
    assert.deepEqual(body.Env, ["PORT=8080"]);
    assert.equal(body.User, "1000:1000");
    assert.equal(body.HostConfig.NetworkMode, "container:sandbox-id");
    assert.equal(body.HostConfig.Memory, 256 * 1024 * 1024);
    assert.equal(body.HostConfig.NanoCpus, 500_000_000);
    assert.equal(body.HostConfig.ReadonlyRootfs, true);
    assert.equal(
      body.Labels["io.cloudjobhunt.resources"],
      JSON.stringify({ limits: { memory: "256Mi", cpu: "500m" }, requests: { cpu: "100m" } }),
    );
  });

  test("quantities: binary and decimal suffixes; anything else is refused by name", () => {
    assert.equal(memoryBytes("1Gi"), 2 ** 30);
    assert.equal(memoryBytes("128M"), 128e6);
    assert.equal(nanoCpus("2"), 2e9);
    assert.equal(nanoCpus("0.25"), 25e7);
    assert.throws(() => memoryBytes("lots"), /^Error: not a resource quantity: lots$/);
  });
});
