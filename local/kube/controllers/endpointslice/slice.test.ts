import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Pod, Service } from "../../api/kinds.ts";
import { endpointPorts, endpointsFor } from "./slice.ts";

function pod(name: string, ready: boolean, options: { ip?: string; terminating?: boolean } = {}): Pod {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: "default",
      uid: `${name}-uid`,
      ...(options.terminating ? { deletionTimestamp: "2026-01-01T00:00:30Z" } : {}),
    },
    spec: {
      nodeName: "local-node",
      containers: [{ name: "web", ports: [{ name: "http", containerPort: 8080 }] }],
    },
    status: {
      phase: "Running",
      ...(options.ip === "" ? {} : { podIP: options.ip ?? "10.244.0.2" }),
      conditions: [{ type: "Ready", status: ready ? "True" : "False" }],
    },
  };
}

describe("EndpointSlice endpoints", () => {
  test("ready pods are ready and serving; unready pods neither; pods without an address are left out", () => {
    const endpoints = endpointsFor([pod("b", false), pod("a", true), pod("c", true, { ip: "" })]);
    assert.deepEqual(
      endpoints.map((endpoint) => [endpoint.targetRef.name, endpoint.conditions]),
      [
        ["a", { ready: true, serving: true, terminating: false }],
        ["b", { ready: false, serving: false, terminating: false }],
      ],
    );
    assert.deepEqual(endpoints[0]?.addresses, ["10.244.0.2"]);
    assert.equal(endpoints[0]?.nodeName, "local-node");
  });

  test("a terminating pod is terminating and not ready, serving as long as it is Ready", () => {
    const [endpoint] = endpointsFor([pod("a", true, { terminating: true })]);
    assert.deepEqual(endpoint?.conditions, { ready: false, serving: true, terminating: true });
  });

  test("named target ports resolve to the container port", () => {
    const service: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "web" },
      spec: {
        selector: { app: "web" },
        ports: [
          { name: "http", port: 80, targetPort: "http" },
          { name: "direct", port: 81 },
        ],
      },
    };
    assert.deepEqual(endpointPorts(service, [pod("a", true)]), [
      { name: "http", port: 8080, protocol: "TCP" },
      { name: "direct", port: 81, protocol: "TCP" },
    ]);
  });
});
