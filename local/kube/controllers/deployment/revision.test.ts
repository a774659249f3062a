import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Deployment, PodTemplate, ReplicaSet } from "../../api/kinds.ts";
import {
  annotation,
  appendRevisionHistory,
  equalIgnoreHash,
  findNewReplicaSet,
  findOldReplicaSets,
  maxRevision,
  revisionOf,
  setNewReplicaSetAnnotations,
} from "./revision.ts";

function template(image: string, hash?: string): PodTemplate {
  return {
    metadata: { labels: { app: "web", ...(hash ? { "pod-template-hash": hash } : {}) } },
    spec: { containers: [{ name: "web", image }] },
  };
}

function rs(name: string, image: string, revision: string | undefined, created: string): ReplicaSet {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      name,
      uid: name,
      creationTimestamp: created,
      annotations: revision === undefined ? {} : { [annotation.revision]: revision },
    },
    spec: { replicas: 0, selector: { matchLabels: { app: "web" } }, template: template(image, name) },
  };
}

function deployment(image: string, annotations: Record<string, string> = {}): Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", annotations },
    spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: template(image) },
  };
}

describe("revisions (rules 3.2, 3.3)", () => {
  test("revision: missing is 0, unparsable is skipped", () => {
    assert.equal(revisionOf(rs("a", "x", undefined, "2026-01-01T00:00:00Z")), 0);
    assert.equal(revisionOf(rs("a", "x", "zz", "2026-01-01T00:00:00Z")), undefined);
    assert.equal(maxRevision([rs("a", "x", "2", "t"), rs("b", "x", "zz", "t"), rs("c", "x", "5", "t")]), 5);
  });

  test("templates compare without the pod-template-hash label", () => {
    assert.ok(equalIgnoreHash(template("x", "abc"), template("x")));
    assert.ok(!equalIgnoreHash(template("x", "abc"), template("y", "abc")));
  });

  test("null, empty lists and empty maps compare as absent, as Go's semantic equality does", () => {
    const sent = template("x");
    sent.metadata = { ...sent.metadata, annotations: {}, creationTimestamp: null } as PodTemplate["metadata"];
    sent.spec.volumes = [];
    assert.ok(equalIgnoreHash(sent, template("x", "abc")));
  });

  test("the new ReplicaSet is the oldest one with the Deployment's template", () => {
    const sets = [
      rs("b", "v2", "3", "2026-01-01T00:00:02Z"),
      rs("a", "v1", "1", "2026-01-01T00:00:01Z"),
      rs("c", "v2", "2", "2026-01-01T00:00:01Z"),
    ];
    assert.equal(findNewReplicaSet(deployment("v2"), sets)?.metadata.name, "c");
    assert.deepEqual(
      findOldReplicaSets(deployment("v2"), sets).map((set) => set.metadata.name),
      ["b", "a"],
    );
  });

  test("a new ReplicaSet gets the revision, the Deployment's annotations minus the skip list, desired/max replicas", () => {
    const d = deployment("v1", {
      team: "jobs",
      "kubectl.kubernetes.io/last-applied-configuration": "{}",
      [annotation.revision]: "7",
    });
    const created = rs("new", "v1", undefined, "t");
    created.metadata.annotations = undefined;
    assert.ok(setNewReplicaSetAnnotations(d, created, 1, false, { desired: 3, max: 4 }));
    assert.deepEqual(created.metadata.annotations, {
      team: "jobs",
      [annotation.revision]: "1",
      [annotation.desiredReplicas]: "3",
      [annotation.maxReplicas]: "4",
    });
  });

  test("revisions 1,2,3, undo to 2: that ReplicaSet becomes revision 4 with revision-history 2", () => {
    const reused = rs("two", "v2", "2", "t");
    assert.ok(setNewReplicaSetAnnotations(deployment("v2"), reused, 4, true, { desired: 3, max: 4 }));
    assert.equal(reused.metadata.annotations?.[annotation.revision], "4");
    assert.equal(reused.metadata.annotations?.[annotation.revisionHistory], "2");
    // Reused again later: the history grows as a comma list.
    assert.ok(setNewReplicaSetAnnotations(deployment("v2"), reused, 6, true, { desired: 3, max: 4 }));
    assert.equal(reused.metadata.annotations?.[annotation.revisionHistory], "2,4");
  });

  test("the current new ReplicaSet keeps its revision (nothing to record)", () => {
    const current = rs("three", "v3", "3", "t");
    assert.equal(
      setNewReplicaSetAnnotations(deployment("v3"), current, 3, true, { desired: 3, max: 4 }),
      false,
    );
    assert.equal(current.metadata.annotations?.[annotation.revisionHistory], undefined);
  });

  test("revision-history stays within 2000 characters, dropping the oldest entries", () => {
    assert.equal(appendRevisionHistory("1,2,3", "4", 6), "2,3,4");
    assert.equal(appendRevisionHistory("1,2,3", "4", 7), "1,2,3,4");
    assert.equal(appendRevisionHistory(undefined, "4"), "4");
    assert.equal(appendRevisionHistory("1", "12345", 3), undefined);
  });
});
