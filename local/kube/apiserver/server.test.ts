import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { MemoryStore } from "../store/memory-store.ts";
import { type ApiServer, startApiServer } from "./server.ts";

const token = "test-token";
let server: ApiServer;
let store: MemoryStore;

before(async () => {
  store = new MemoryStore();
  server = await startApiServer({ store, token });
});
after(async () => {
  await server.close();
});

type Json = Record<string, unknown>;

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: (text.startsWith("{") ? JSON.parse(text) : text) as Json,
  };
}

const deployments = "/apis/apps/v1/namespaces/default/deployments";

function deployment(name: string, replicas = 1, extra: Json = {}): Json {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: "app", image: "app:1" }] },
      },
      ...extra,
    },
  };
}

describe("discovery and auth", () => {
  test("/version reports 1.31 and needs no token; /api needs one (401 Status)", async () => {
    const version = await fetch(`${server.url}/version`).then((r) => r.json() as Promise<Json>);
    assert.equal(version.minor, "31");
    const denied = await fetch(`${server.url}/api`);
    assert.equal(denied.status, 401);
    assert.deepEqual(await denied.json(), {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
    const wrong = await fetch(`${server.url}/api/v1`, { headers: { Authorization: "Bearer nope" } });
    assert.equal(wrong.status, 401);
  });

  test("group and resource lists carry kinds, verbs, short names and subresources", async () => {
    const groups = (await call("GET", "/apis")).body as { groups: { name: string }[] };
    for (const name of [
      "apps",
      "discovery.k8s.io",
      "coordination.k8s.io",
      "networking.k8s.io",
      "autoscaling",
      "policy",
      "cert-manager.io",
      "monitoring.coreos.com",
      "secrets-store.csi.x-k8s.io",
    ]) {
      assert.ok(
        groups.groups.some((group) => group.name === name),
        name,
      );
    }
    const apps = (await call("GET", "/apis/apps/v1")).body as {
      resources: { name: string; shortNames?: string[]; verbs: string[]; kind: string }[];
    };
    const deploy = apps.resources.find((resource) => resource.name === "deployments");
    assert.deepEqual(deploy?.shortNames, ["deploy"]);
    assert.ok(deploy?.verbs.includes("watch"));
    assert.equal(apps.resources.find((resource) => resource.name === "deployments/scale")?.kind, "Scale");
    const core = (await call("GET", "/api/v1")).body as {
      resources: { name: string; shortNames?: string[] }[];
    };
    assert.deepEqual(core.resources.find((resource) => resource.name === "pods")?.shortNames, ["po"]);
    assert.equal((await call("GET", "/apis/nothing.example/v1")).status, 404);
  });
});

describe("verbs and errors", () => {
  test("create, get, 404 and 409 AlreadyExists with the real messages", async () => {
    const created = await call("POST", deployments, deployment("alpha"));
    assert.equal(created.status, 201);
    assert.equal((created.body.metadata as Json).generation, 1);
    const again = await call("POST", deployments, deployment("alpha"));
    assert.equal(again.status, 409);
    assert.equal(again.body.reason, "AlreadyExists");
    assert.equal(again.body.message, 'deployments.apps "alpha" already exists');
    const missing = await call("GET", `${deployments}/nope`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.message, 'deployments.apps "nope" not found');
    assert.deepEqual(missing.body.details, { name: "nope", group: "apps", kind: "deployments" });
  });

  test("PUT with a stale resourceVersion is 409 Conflict", async () => {
    const created = (await call("POST", deployments, deployment("beta"))).body;
    const first = await call("PUT", `${deployments}/beta`, {
      ...created,
      spec: { ...(created.spec as Json), replicas: 2 },
    });
    assert.equal(first.status, 200);
    assert.equal((first.body.metadata as Json).generation, 2);
    const stale = await call("PUT", `${deployments}/beta`, {
      ...created,
      spec: { ...(created.spec as Json), replicas: 3 },
    });
    assert.equal(stale.status, 409);
    assert.equal(
      stale.body.message,
      'Operation cannot be fulfilled on deployments.apps "beta": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  test("an invalid name is 422 Invalid", async () => {
    const invalid = await call("POST", deployments, deployment("Bad_Name"));
    assert.equal(invalid.status, 422);
    assert.equal(invalid.body.reason, "Invalid");
    assert.match(
      String(invalid.body.message),
      /^Deployment\.apps "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/,
    );
  });

  test("fieldValidation: Strict rejects unknown fields (400), Warn returns Warning headers and drops them", async () => {
    const strict = await call(
      "POST",
      `${deployments}?fieldValidation=Strict`,
      deployment("gamma", 1, { foo: 1 }),
    );
    assert.equal(strict.status, 400);
    assert.equal(strict.body.reason, "BadRequest");
    assert.equal(
      strict.body.message,
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"',
    );
    const warned = await call("POST", deployments, deployment("gamma", 1, { foo: 1 }));
    assert.equal(warned.status, 201);
    assert.equal(warned.headers.get("warning"), '299 - "unknown field \\"spec.foo\\""');
    assert.equal((warned.body.spec as Json).foo, undefined);
    const ignored = await call(
      "POST",
      `${deployments}?fieldValidation=Ignore`,
      deployment("gamma2", 1, { foo: 1 }),
    );
    assert.equal(ignored.headers.get("warning"), null);
  });

  test("dryRun=All validates and computes without storing", async () => {
    const dry = await call("POST", `${deployments}?dryRun=All`, deployment("delta"));
    assert.equal(dry.status, 201);
    assert.equal((await call("GET", `${deployments}/delta`)).status, 404);
  });

  test("merge, strategic merge and JSON patch", async () => {
    await call("POST", deployments, deployment("eps"));
    const merge = await call(
      "PATCH",
      `${deployments}/eps`,
      { spec: { replicas: 4 } },
      { "Content-Type": "application/merge-patch+json" },
    );
    assert.equal((merge.body.spec as Json).replicas, 4);
    const strategic = await call(
      "PATCH",
      `${deployments}/eps`,
      { spec: { template: { spec: { containers: [{ name: "side", image: "side:1" }] } } } },
      { "Content-Type": "application/strategic-merge-patch+json" },
    );
    const containers = (
      (strategic.body.spec as Json).template as { spec: { containers: { name: string }[] } }
    ).spec.containers;
    assert.deepEqual(
      containers.map((container) => container.name),
      ["app", "side"],
    );
    const json = await call(
      "PATCH",
      `${deployments}/eps`,
      [{ op: "replace", path: "/spec/replicas", value: 1 }],
      { "Content-Type": "application/json-patch+json" },
    );
    assert.equal((json.body.spec as Json).replicas, 1);
  });

  test("kubectl rollout undo's single JSON patch (template + annotations), with and without dryRun=All (docs/rollout-semantics.md 2.3)", async () => {
    const annotated = deployment("undo");
    (annotated.metadata as Json).annotations = { "deployment.kubernetes.io/revision": "2" };
    const created = (await call("POST", deployments, annotated)).body as {
      spec: { template: Json };
      metadata: Json;
    };
    const template = structuredClone(created.spec.template) as { spec: { containers: { image: string }[] } };
    const container = template.spec.containers[0];
    if (container) container.image = "app:0";
    const ops = [
      { op: "replace", path: "/spec/template", value: template },
      { op: "replace", path: "/metadata/annotations", value: { "deployment.kubernetes.io/revision": "1" } },
    ];
    const headers = { "Content-Type": "application/json-patch+json" };
    const dry = await call(
      "PATCH",
      `${deployments}/undo?dryRun=All&fieldManager=kubectl-rollout`,
      ops,
      headers,
    );
    assert.equal(dry.status, 200);
    assert.equal((dry.body.metadata as Json).generation, 2);
    assert.equal(
      ((await call("GET", `${deployments}/undo`)).body.metadata as Json).generation,
      1,
      "nothing stored",
    );
    const undone = await call("PATCH", `${deployments}/undo?fieldManager=kubectl-rollout`, ops, headers);
    assert.equal((undone.body.metadata as Json).generation, 2);
    assert.deepEqual((undone.body.metadata as Json).annotations, {
      "deployment.kubernetes.io/revision": "1",
    });
    const managers = (
      (undone.body.metadata as Json).managedFields as { manager: string; operation: string }[]
    ).map((entry) => [entry.manager, entry.operation]);
    assert.deepEqual(managers, [
      ["node", "Update"],
      ["kubectl-rollout", "Update"],
    ]);
  });

  test("a JSON patch that cannot apply is 422; an unknown patch type 415", async () => {
    await call("POST", deployments, deployment("badpatch"));
    const missing = await call(
      "PATCH",
      `${deployments}/badpatch`,
      [{ op: "replace", path: "/metadata/annotations", value: {} }],
      { "Content-Type": "application/json-patch+json" },
    );
    assert.equal(missing.status, 422);
    assert.match(
      String(missing.body.message),
      /^the server rejected our request due to an error in our request: /,
    );
    const unknown = await call("PATCH", `${deployments}/badpatch`, {}, { "Content-Type": "text/plain" });
    assert.equal(unknown.status, 415);
    assert.equal(unknown.body.reason, "UnsupportedMediaType");
  });

  test("a body that is not JSON or YAML is 400 BadRequest", async () => {
    const broken = await call("POST", deployments, "{ not: [json");
    assert.equal(broken.status, 400);
    assert.match(String(broken.body.message), /^the body of the request was in an unknown format: /);
    const patchBody = await call("PATCH", `${deployments}/alpha`, "{ not: [json", {
      "Content-Type": "application/merge-patch+json",
    });
    assert.equal(patchBody.status, 400);
  });

  test("server-side apply: create, 409 conflict with causes, force, fieldManager required", async () => {
    const apply = (body: Json, query: string) =>
      call("PATCH", `${deployments}/zeta?${query}`, body, { "Content-Type": "application/apply-patch+yaml" });
    assert.equal((await apply(deployment("zeta", 2), "fieldManager=pipeline")).status, 201);
    const conflict = await apply(deployment("zeta", 5), "fieldManager=other");
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.reason, "Conflict");
    assert.equal(
      conflict.body.message,
      'Apply failed with 1 conflict: conflict with "pipeline": .spec.replicas',
    );
    assert.deepEqual((conflict.body.details as Json).causes, [
      { reason: "FieldManagerConflict", message: 'conflict with "pipeline"', field: ".spec.replicas" },
    ]);
    const forced = await apply(deployment("zeta", 5), "fieldManager=other&force=true");
    assert.equal(forced.status, 200);
    assert.equal((forced.body.spec as Json).replicas, 5);
    const repeated = await apply(deployment("zeta", 5), "fieldManager=other");
    assert.equal(
      (repeated.body.metadata as Json).resourceVersion,
      (forced.body.metadata as Json).resourceVersion,
      "an unchanged re-apply is a no-op",
    );
    const anonymous = await apply(deployment("zeta", 5), "");
    assert.equal(anonymous.status, 422);
    assert.equal(
      anonymous.body.message,
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });

  test("the scale subresource reads and writes spec.replicas", async () => {
    await call("POST", deployments, deployment("eta", 2));
    const scale = await call("GET", `${deployments}/eta/scale`);
    assert.equal(scale.body.kind, "Scale");
    assert.deepEqual(scale.body.spec, { replicas: 2 });
    assert.equal((scale.body.status as Json).selector, "app=eta");
    const patched = await call(
      "PATCH",
      `${deployments}/eta/scale`,
      { spec: { replicas: 6 } },
      { "Content-Type": "application/merge-patch+json" },
    );
    assert.deepEqual(patched.body.spec, { replicas: 6 });
    assert.equal(((await call("GET", `${deployments}/eta`)).body.spec as Json).replicas, 6);
  });

  test("status subresource writes status only and leaves generation", async () => {
    const created = (await call("POST", deployments, deployment("theta"))).body;
    const written = await call("PUT", `${deployments}/theta/status`, {
      ...created,
      spec: { ...(created.spec as Json), replicas: 9 },
      status: { observedGeneration: 1, replicas: 1 },
    });
    assert.equal(written.status, 200);
    assert.deepEqual(written.body.status, { observedGeneration: 1, replicas: 1 });
    assert.equal((written.body.spec as Json).replicas, 1);
    assert.equal((written.body.metadata as Json).generation, 1);
  });

  test("list: labelSelector (set-based), fieldSelector, limit and continue", async () => {
    const all = (
      await call("GET", `${deployments}?labelSelector=${encodeURIComponent("app in (alpha,beta)")}`)
    ).body as { items: { metadata: { name: string } }[]; kind: string };
    assert.equal(all.kind, "DeploymentList");
    assert.deepEqual(
      all.items.map((item) => item.metadata.name),
      ["alpha", "beta"],
    );
    const byName = (await call("GET", `${deployments}?fieldSelector=metadata.name%3Dbeta`)).body as {
      items: unknown[];
    };
    assert.equal(byName.items.length, 1);
    const page = (await call("GET", `${deployments}?limit=2`)).body as {
      items: { metadata: { name: string } }[];
      metadata: { continue?: string };
    };
    assert.equal(page.items.length, 2);
    assert.ok(page.metadata.continue);
    const next = (await call("GET", `${deployments}?limit=2&continue=${page.metadata.continue}`)).body as {
      items: { metadata: { name: string } }[];
    };
    assert.ok(next.items.length > 0);
    assert.notEqual(next.items[0]?.metadata.name, page.items[1]?.metadata.name);
  });

  test("delete: a bound pod is accepted (202) with a deletionTimestamp; 404 afterwards once removed", async () => {
    const pods = "/api/v1/namespaces/default/pods";
    await call("POST", pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { nodeName: "local", containers: [{ name: "a", image: "a:1" }] },
    });
    const graceful = await call("DELETE", `${pods}/p`, { gracePeriodSeconds: 20 });
    assert.equal(graceful.status, 202);
    assert.equal((graceful.body.metadata as Json).deletionGracePeriodSeconds, 20);
    const now = await call("DELETE", `${pods}/p?gracePeriodSeconds=0`);
    assert.equal(now.status, 200);
    assert.equal((await call("GET", `${pods}/p`)).status, 404);
  });

  test("pods/<name>/log needs a container when there are several, and a log source", async () => {
    const pods = "/api/v1/namespaces/default/pods";
    await call("POST", pods, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "two" },
      spec: {
        containers: [
          { name: "a", image: "a:1" },
          { name: "b", image: "b:1" },
        ],
      },
    });
    const unnamed = await call("GET", `${pods}/two/log`);
    assert.equal(unnamed.status, 400);
    assert.equal(
      unnamed.body.message,
      "a container name must be specified for pod two, choose one of: [a b]",
    );
    const wrong = await call("GET", `${pods}/two/log?container=c`);
    assert.equal(wrong.body.message, "container c is not valid for pod two");
    const nobody = await call("GET", `${pods}/two/log?container=a`);
    assert.equal(nobody.status, 400);
    assert.equal(nobody.body.message, 'container "a" in pod "two" is not running on any node');
    assert.equal((await call("GET", `${pods}/none/log`)).body.message, 'pods "none" not found');
  });

  test("Table output for kubectl get", async () => {
    const table = await call("GET", deployments, undefined, {
      Accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json",
    });
    assert.equal(table.body.kind, "Table");
    assert.deepEqual(
      (table.body.columnDefinitions as { name: string }[]).slice(0, 5).map((column) => column.name),
      ["Name", "Ready", "Up-to-date", "Available", "Age"],
    );
  });
});

describe("watch", () => {
  async function readEvents(path: string, count: number, act: () => Promise<unknown>) {
    const controller = new AbortController();
    const response = await fetch(`${server.url}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: controller.signal,
    });
    const reader = response.body?.getReader();
    assert.ok(reader);
    const events: { type: string; object: Json }[] = [];
    let buffer = "";
    await act();
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        events.push(JSON.parse(buffer.slice(0, newline)));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
      }
    }
    controller.abort();
    return events;
  }

  test("streams ADDED/MODIFIED/DELETED from a resourceVersion", async () => {
    const list = (await call("GET", deployments)).body as { metadata: { resourceVersion: string } };
    const events = await readEvents(
      `${deployments}?watch=1&resourceVersion=${list.metadata.resourceVersion}`,
      3,
      async () => {
        await call("POST", deployments, deployment("watched"));
        await call(
          "PATCH",
          `${deployments}/watched`,
          { spec: { replicas: 3 } },
          { "Content-Type": "application/merge-patch+json" },
        );
        await call("DELETE", `${deployments}/watched`);
      },
    );
    assert.deepEqual(
      events.map((event) => event.type),
      ["ADDED", "MODIFIED", "DELETED"],
    );
  });

  test("without a resourceVersion the current objects come first as ADDED", async () => {
    const events = await readEvents(
      `${deployments}?watch=true&fieldSelector=metadata.name%3Dalpha`,
      1,
      async () => {},
    );
    const [first] = events;
    assert.equal(first?.type, "ADDED");
    assert.equal((first?.object.metadata as Json | undefined)?.name, "alpha");
  });

  test("a resourceVersion older than the history is an ERROR event with a 410 Expired Status", async () => {
    const small = new MemoryStore({ historyLimit: 2 });
    const other = await startApiServer({ store: small, token });
    try {
      for (const name of ["a", "b", "c", "d"])
        small.create(
          { group: "", version: "v1", resource: "configmaps" },
          { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default" } },
        );
      const response = await fetch(
        `${other.url}/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      assert.equal(response.status, 200);
      const event = JSON.parse((await response.text()).trim()) as { type: string; object: Json };
      assert.equal(event.type, "ERROR");
      assert.equal(event.object.code, 410);
      assert.equal(event.object.reason, "Expired");
      assert.match(String(event.object.message), /^too old resource version: 1 \(\d+\)$/);
    } finally {
      await other.close();
    }
  });
});
