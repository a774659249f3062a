import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JsonObject } from "../merge/json-value.ts";
import { fieldSetOf, fromFieldsV1, pathString, toFieldsV1 } from "./field-set.ts";
import {
  ApplyConflictError,
  apply,
  conflictsForgivenByLastApplied,
  type OwnershipContext,
  recordUpdate,
} from "./managed-fields.ts";

function context(manager: string, time = "2026-11-24T03:00:00Z"): OwnershipContext {
  return { manager, apiVersion: "apps/v1", time, statusSubresource: true };
}

function deployment(replicas: number, image: string, extra: JsonObject = {}): JsonObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", labels: { app: "web" } },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: {
        metadata: { labels: { app: "web" } },
        spec: { containers: [{ name: "app", image, ports: [{ containerPort: 8080 }] }] },
      },
      ...extra,
    },
  };
}

/** The live object as the store would hold it after the apply: result object + managedFields. */
function live(result: { object: JsonObject; managedFields: unknown[] }): JsonObject {
  const object = structuredClone(result.object);
  (object.metadata as JsonObject).managedFields = result.managedFields;
  return object;
}

function conflictOf(run: () => unknown): ApplyConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApplyConflictError) return error;
    throw error;
  }
  assert.fail("expected an apply conflict");
}

describe("field sets", () => {
  test("keyed lists become k: members, sets v: members, leaves f: paths; name/namespace untracked", () => {
    const set = fieldSetOf({
      spec: { containers: [{ name: "app", image: "a", ports: [{ containerPort: 80 }] }] },
      metadata: { finalizers: ["x"] },
    });
    const printed = [...set.values()].map(pathString).sort();
    assert.deepEqual(printed, [
      '.metadata.finalizers[="x"]',
      '.spec.containers[name="app"]',
      '.spec.containers[name="app"].image',
      '.spec.containers[name="app"].name',
      '.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"]',
      '.spec.containers[name="app"].ports[containerPort=80,protocol="TCP"].containerPort',
    ]);
  });

  test("FieldsV1 encoding round-trips and marks members with children by '.'", () => {
    const set = fieldSetOf({ spec: { containers: [{ name: "app", image: "a" }], replicas: 1 } });
    const tree = toFieldsV1(set);
    assert.deepEqual(tree, {
      "f:spec": {
        "f:containers": { 'k:{"name":"app"}': { ".": {}, "f:image": {}, "f:name": {} } },
        "f:replicas": {},
      },
    });
    assert.deepEqual([...fromFieldsV1(tree).keys()].sort(), [...set.keys()].sort());
  });
});

describe("server-side apply", () => {
  test("apply creates the object and records an Apply entry without name, namespace, apiVersion or kind", () => {
    const result = apply(undefined, deployment(2, "app:1"), context("kubectl"), false);
    assert.equal((result.object.spec as JsonObject).replicas, 2);
    assert.equal(result.managedFields.length, 1);
    const [entry] = result.managedFields;
    assert.equal(entry?.manager, "kubectl");
    assert.equal(entry?.operation, "Apply");
    assert.equal(entry?.fieldsType, "FieldsV1");
    const fields = entry?.fieldsV1 as JsonObject;
    assert.deepEqual(Object.keys(fields).sort(), ["f:metadata", "f:spec"]);
    assert.deepEqual(fields["f:metadata"], { "f:labels": { "f:app": {} } });
  });

  test("re-applying by the same manager never conflicts and changes values", () => {
    const first = live(apply(undefined, deployment(2, "app:1"), context("kubectl"), false));
    const second = apply(first, deployment(3, "app:2"), context("kubectl"), false);
    const spec = second.object.spec as {
      replicas: number;
      template: { spec: { containers: { image: string }[] } };
    };
    assert.equal(spec.replicas, 3);
    assert.equal(spec.template.spec.containers[0]?.image, "app:2");
    assert.equal(second.managedFields.length, 1);
  });

  test("another applier changing an owned field gets the real conflict message; the same value is shared", () => {
    const first = live(apply(undefined, deployment(2, "app:1"), context("pipeline"), false));
    const error = conflictOf(() => apply(first, deployment(5, "app:1"), context("other"), false));
    assert.equal(error.message, 'Apply failed with 1 conflict: conflict with "pipeline": .spec.replicas');
    const shared = apply(first, deployment(2, "app:1"), context("other"), false);
    assert.deepEqual(
      shared.managedFields.map((entry) => entry.manager),
      ["pipeline", "other"],
    );
  });

  test("several conflicts are listed per manager; an Update manager is named with its apiVersion", () => {
    const created = live(apply(undefined, deployment(2, "app:1"), context("pipeline"), false));
    const edited = structuredClone(created);
    const spec = edited.spec as { replicas: number; template: { spec: { containers: { image: string }[] } } };
    spec.replicas = 4;
    const container = spec.template.spec.containers[0];
    if (container) container.image = "app:9";
    (edited.metadata as JsonObject).managedFields = recordUpdate(created, edited, context("kubectl-edit"));
    const error = conflictOf(() => apply(edited, deployment(2, "app:1"), context("pipeline"), false));
    assert.equal(
      error.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image',
    );
  });

  test("force takes the conflicting fields from their owner", () => {
    const first = live(apply(undefined, deployment(2, "app:1"), context("pipeline"), false));
    const forced = apply(first, deployment(5, "app:1"), context("other"), true);
    assert.equal((forced.object.spec as JsonObject).replicas, 5);
    const pipeline = forced.managedFields.find((entry) => entry.manager === "pipeline");
    assert.ok(pipeline);
    assert.equal(((pipeline.fieldsV1 as JsonObject)["f:spec"] as JsonObject)["f:replicas"], undefined);
    const again = live(forced);
    assert.equal(
      conflictOf(() => apply(again, deployment(7, "app:1"), context("pipeline"), false)).message,
      'Apply failed with 1 conflict: conflict with "other": .spec.replicas',
    );
  });

  test("a field the manager no longer applies is removed, unless another manager owns it", () => {
    const withPaused = live(
      apply(
        undefined,
        deployment(2, "app:1", { paused: true, minReadySeconds: 5 }),
        context("pipeline"),
        false,
      ),
    );
    const shared = live(
      apply(
        withPaused,
        {
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "web" },
          spec: { minReadySeconds: 5 },
        },
        context("other"),
        false,
      ),
    );
    const result = apply(shared, deployment(2, "app:1"), context("pipeline"), false);
    const spec = result.object.spec as JsonObject;
    assert.equal(spec.paused, undefined);
    assert.equal(spec.minReadySeconds, 5);
  });

  test("containers merge by name and ports by containerPort: another manager's container stays", () => {
    const base = live(apply(undefined, deployment(1, "app:1"), context("pipeline"), false));
    const sidecar = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web" },
      spec: { template: { spec: { containers: [{ name: "sidecar", image: "proxy:1" }] } } },
    };
    const result = apply(base, sidecar, context("mesh"), false);
    const containers = (
      (result.object.spec as JsonObject).template as { spec: { containers: { name: string }[] } }
    ).spec.containers;
    assert.deepEqual(
      containers.map((container) => container.name),
      ["app", "sidecar"],
    );
  });
});

describe("ownership of updates", () => {
  test("an update takes the fields it changed from the applier, which then must force", () => {
    const applied = live(apply(undefined, deployment(2, "app:1"), context("pipeline"), false));
    const undone = structuredClone(applied);
    const template = (undone.spec as { template: { spec: { containers: { image: string }[] } } }).template;
    const container = template.spec.containers[0];
    if (container) container.image = "app:0";
    const entries = recordUpdate(applied, undone, context("kubectl-rollout"));
    assert.deepEqual(
      entries.map((entry) => [entry.manager, entry.operation]),
      [
        ["pipeline", "Apply"],
        ["kubectl-rollout", "Update"],
      ],
    );
    (undone.metadata as JsonObject).managedFields = entries;
    const error = conflictOf(() => apply(undone, deployment(2, "app:1"), context("pipeline"), false));
    assert.equal(
      error.message,
      'Apply failed with 1 conflict: conflict with "kubectl-rollout" using apps/v1: .spec.template.spec.containers[name="app"].image',
    );
  });

  test("an update that changes nothing leaves managedFields alone", () => {
    const applied = live(apply(undefined, deployment(2, "app:1"), context("pipeline"), false));
    assert.deepEqual(
      recordUpdate(applied, structuredClone(applied), context("x", "2030-01-01T00:00:00Z")),
      (applied.metadata as JsonObject).managedFields,
    );
  });

  test("a create records every field for the creator; status writes are tracked separately", () => {
    const created = deployment(1, "app:1");
    const entries = recordUpdate(undefined, created, context("kubectl-create"));
    assert.equal(entries.length, 1);
    const withEntries = structuredClone(created);
    (withEntries.metadata as JsonObject).managedFields = entries;
    const withStatus = structuredClone(withEntries);
    withStatus.status = { replicas: 1 };
    const after = recordUpdate(withEntries, withStatus, {
      ...context("deployment-controller"),
      subresource: "status",
    });
    assert.deepEqual(
      after.map((entry) => [entry.manager, entry.subresource ?? ""]),
      [
        ["kubectl-create", ""],
        ["deployment-controller", "status"],
      ],
    );
  });
});

describe("moving from client-side to server-side apply", () => {
  function clientSideApplied(replicas: number): JsonObject {
    const object = deployment(replicas, "app:1");
    const lastApplied = JSON.stringify(object);
    (object.metadata as JsonObject).annotations = {
      "kubectl.kubernetes.io/last-applied-configuration": lastApplied,
    };
    (object.metadata as JsonObject).managedFields = recordUpdate(
      undefined,
      object,
      context("kubectl-client-side-apply"),
    );
    return object;
  }

  test("conflicts of the manager 'kubectl' with fields still as last applied are forgiven; others are not", () => {
    const live = clientSideApplied(2);
    const conflicts = conflictOf(() =>
      apply(live, deployment(3, "app:1"), context("kubectl"), false),
    ).conflicts;
    assert.equal(conflictsForgivenByLastApplied(live, "kubectl", conflicts, context("kubectl")), true);
    assert.equal(conflictsForgivenByLastApplied(live, "pipeline", conflicts, context("pipeline")), false);
    const drifted = structuredClone(live);
    (drifted.spec as JsonObject).replicas = 5;
    const driftConflicts = conflictOf(() =>
      apply(drifted, deployment(3, "app:1"), context("kubectl"), false),
    ).conflicts;
    assert.equal(
      conflictsForgivenByLastApplied(drifted, "kubectl", driftConflicts, context("kubectl")),
      false,
    );
  });

  test("a write carrying managedFields sets them; [{}] clears them; none keeps the live ones", () => {
    const live = clientSideApplied(2);
    const migrated = structuredClone(live);
    const rewritten = [
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "apps/v1",
        fieldsType: "FieldsV1",
        fieldsV1: { "f:spec": { "f:replicas": {} } },
      },
    ];
    (migrated.metadata as JsonObject).managedFields = rewritten;
    assert.deepEqual(recordUpdate(live, migrated, context("kubectl")), rewritten);
    (migrated.metadata as JsonObject).managedFields = [{}];
    assert.deepEqual(recordUpdate(live, migrated, context("kubectl")), []);
    delete (migrated.metadata as JsonObject).managedFields;
    assert.deepEqual(
      recordUpdate(live, migrated, context("kubectl")),
      (live.metadata as JsonObject).managedFields,
    );
  });
});
