import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { V1Container } from "@kubernetes/client-node";
import type { Pod } from "../api/kinds.ts";
import { MemoryStore } from "../store/memory-store.ts";
import { ConfigError, resolveEnv } from "./env.ts";

function storeWithConfig(): MemoryStore {
  const store = new MemoryStore();
  store.create(
    { group: "", version: "v1", resource: "secrets" },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "db", namespace: "default" },
      data: { password: Buffer.from("s3cret").toString("base64") },
    },
  );
  store.create(
    { group: "", version: "v1", resource: "configmaps" },
    {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings", namespace: "default" },
      data: { LOG_LEVEL: "info", region: "eu" },
    },
  );
  return store;
}

const pod: Pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-1", namespace: "default" },
  spec: { containers: [] },
};

function container(env: V1Container["env"], envFrom?: V1Container["envFrom"]): V1Container {
  return { name: "app", image: "app:1", env, envFrom };
}

describe("container environment", () => {
  test("values, $(VAR) expansion, secretKeyRef, configMapKeyRef, fieldRef and envFrom", () => {
    const env = resolveEnv(
      storeWithConfig(),
      pod,
      container(
        [
          { name: "HOST", value: "db" },
          { name: "URL", value: "postgres://$(HOST)/app" },
          { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
          { name: "REGION", valueFrom: { configMapKeyRef: { name: "settings", key: "region" } } },
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        ],
        [{ configMapRef: { name: "settings" }, prefix: "CFG_" }],
      ),
      { podIP: "10.244.0.5" },
    );
    assert.deepEqual(env, {
      CFG_LOG_LEVEL: "info",
      CFG_region: "eu",
      HOST: "db",
      URL: "postgres://db/app",
      PASSWORD: "s3cret",
      REGION: "eu",
      POD_NAME: "web-1",
      POD_IP: "10.244.0.5",
    });
  });

  test('a missing secret is CreateContainerConfigError: secret "x" not found', () => {
    assert.throws(
      () =>
        resolveEnv(
          storeWithConfig(),
          pod,
          container([{ name: "P", valueFrom: { secretKeyRef: { name: "x", key: "k" } } }]),
        ),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.reason === "CreateContainerConfigError" &&
        error.message === 'secret "x" not found',
    );
  });

  test("a missing key: couldn't find key k in Secret ns/x; in ConfigMap likewise", () => {
    assert.throws(
      () =>
        resolveEnv(
          storeWithConfig(),
          pod,
          container([{ name: "P", valueFrom: { secretKeyRef: { name: "db", key: "user" } } }]),
        ),
      { message: "couldn't find key user in Secret default/db" },
    );
    assert.throws(
      () =>
        resolveEnv(
          storeWithConfig(),
          pod,
          container([{ name: "P", valueFrom: { configMapKeyRef: { name: "settings", key: "zone" } } }]),
        ),
      { message: "couldn't find key zone in ConfigMap default/settings" },
    );
    assert.throws(
      () => resolveEnv(storeWithConfig(), pod, container([], [{ configMapRef: { name: "absent" } }])),
      { message: 'configmap "absent" not found' },
    );
  });

  test("optional references that are missing are skipped", () => {
    const env = resolveEnv(
      storeWithConfig(),
      pod,
      container(
        [{ name: "P", valueFrom: { secretKeyRef: { name: "x", key: "k", optional: true } } }],
        [{ secretRef: { name: "y", optional: true } }],
      ),
    );
    assert.deepEqual(env, {});
  });
});
