import assert from "node:assert/strict";
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { StateFiles, type StoredObject } from "./persistence.ts";

const root = mkdtempSync(join(tmpdir(), "store-persistence-"));
after(() => rmSync(root, { recursive: true, force: true }));

let dirs = 0;
/** A state folder of its own for each test, not created yet (StateFiles creates it). */
const freshDir = () => join(root, `state-${++dirs}`, "objects");

const configMap = (name: string, value: string, rv: number) => ({
  apiVersion: "v1",
  kind: "ConfigMap",
  metadata: { name, namespace: "default", resourceVersion: String(rv) },
  data: { value },
});
const namespace = (name: string, rv: number) => ({
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name, resourceVersion: String(rv) },
});

/** The loaded objects as "resource/namespace/name=value", sorted, for comparing states. */
function summary(objects: StoredObject[]): string[] {
  return objects
    .map(({ resource, object }) => {
      const value = (object.data as { value?: string } | undefined)?.value;
      return `${resource}/${object.metadata.namespace ?? ""}/${object.metadata.name}${value ? `=${value}` : ""}`;
    })
    .sort();
}

const mode = (path: string) => statSync(path).mode & 0o777;

describe("StateFiles", () => {
  test("an empty folder loads as nothing at version 0; the folder is created private", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    assert.deepEqual(files.load(), { resourceVersion: 0, objects: [] });
    assert.equal(mode(dir), 0o700);
    assert.equal(files.logRecords, 0);
  });

  test("appended writes survive a restart: creates, updates and deletes replayed in order", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    files.load();
    files.append(1, "", "configmaps", configMap("a", "one", 1), false);
    files.append(2, "", "configmaps", configMap("b", "one", 2), false);
    files.append(3, "", "configmaps", configMap("a", "two", 3), false);
    files.append(4, "", "configmaps", configMap("b", "one", 4), true);
    files.append(5, "", "namespaces", namespace("team", 5), false);
    assert.equal(files.logRecords, 5);
    files.close();
    assert.equal(mode(join(dir, "objects.log.jsonl")), 0o600);

    const reopened = new StateFiles(dir);
    const loaded = reopened.load();
    assert.equal(loaded.resourceVersion, 5);
    assert.deepEqual(summary(loaded.objects), ["configmaps/default/a=two", "namespaces//team"]);
    assert.equal(reopened.logRecords, 5, "the replayed records count towards the next compaction");
    const a = loaded.objects.find((stored) => stored.object.metadata.name === "a");
    assert.deepEqual(a, { group: "", resource: "configmaps", object: configMap("a", "two", 3) });
  });

  test("the same name in another group, resource or namespace is another object", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    files.append(1, "", "configmaps", configMap("x", "core", 1), false);
    files.append(
      2,
      "",
      "configmaps",
      { ...configMap("x", "other-ns", 2), metadata: { name: "x", namespace: "kube-system" } },
      false,
    );
    files.append(3, "example.com", "configmaps", configMap("x", "other-group", 3), false);
    files.close();
    assert.deepEqual(summary(new StateFiles(dir).load().objects), [
      "configmaps/default/x=core",
      "configmaps/default/x=other-group",
      "configmaps/kube-system/x=other-ns",
    ]);
  });

  test("compaction writes the snapshot atomically and starts an empty log; later writes go on top", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    files.append(1, "", "configmaps", configMap("a", "one", 1), false);
    files.append(2, "", "configmaps", configMap("b", "one", 2), false);
    const state = files.load();
    files.compact(2, state.objects);
    assert.equal(files.logRecords, 0);
    assert.deepEqual(
      readdirSync(dir).sort(),
      ["objects.log.jsonl", "objects.snapshot.json"],
      "no temp file left",
    );
    assert.equal(readFileSync(join(dir, "objects.log.jsonl"), "utf8"), "");
    assert.equal(mode(join(dir, "objects.snapshot.json")), 0o600);
    assert.equal(mode(join(dir, "objects.log.jsonl")), 0o600);

    files.append(3, "", "configmaps", configMap("a", "two", 3), false);
    files.append(4, "", "configmaps", configMap("b", "one", 4), true);
    files.close();
    const reopened = new StateFiles(dir);
    const loaded = reopened.load();
    assert.equal(loaded.resourceVersion, 4);
    assert.deepEqual(summary(loaded.objects), ["configmaps/default/a=two"]);
    assert.equal(reopened.logRecords, 2, "only the log since the snapshot is replayed");
  });

  test("a snapshot alone gives its version even with no log file", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    files.compact(42, [{ group: "", resource: "configmaps", object: configMap("a", "one", 42) }]);
    rmSync(join(dir, "objects.log.jsonl"));
    const loaded = new StateFiles(dir).load();
    assert.equal(loaded.resourceVersion, 42);
    assert.deepEqual(summary(loaded.objects), ["configmaps/default/a=one"]);
  });

  test("log records the snapshot already holds are skipped (a crash between snapshot and log reset)", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    files.compact(2, [{ group: "", resource: "configmaps", object: configMap("a", "snapshot", 2) }]);
    const stale = { rv: 1, group: "", resource: "configmaps", namespace: "default", name: "a", object: null };
    const newer = {
      rv: 3,
      group: "",
      resource: "configmaps",
      namespace: "default",
      name: "b",
      object: configMap("b", "log", 3),
    };
    writeFileSync(join(dir, "objects.log.jsonl"), `${JSON.stringify(stale)}\n${JSON.stringify(newer)}\n`);
    const reopened = new StateFiles(dir);
    const loaded = reopened.load();
    assert.equal(loaded.resourceVersion, 3);
    assert.deepEqual(summary(loaded.objects), ["configmaps/default/a=snapshot", "configmaps/default/b=log"]);
    assert.equal(reopened.logRecords, 1);
  });
});

describe("StateFiles with damaged files", () => {
  test("a torn last line (a crash mid-append) is ignored; everything before it loads", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    files.append(1, "", "configmaps", configMap("a", "one", 1), false);
    files.append(2, "", "configmaps", configMap("b", "one", 2), false);
    files.close();
    appendFileSync(join(dir, "objects.log.jsonl"), '{"rv":3,"group":"","resource":"configm');
    const loaded = new StateFiles(dir).load();
    assert.equal(loaded.resourceVersion, 2);
    assert.deepEqual(summary(loaded.objects), ["configmaps/default/a=one", "configmaps/default/b=one"]);
  });

  test("replay stops at the first unreadable line: nothing after it is applied", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    files.append(1, "", "configmaps", configMap("a", "one", 1), false);
    files.close();
    appendFileSync(join(dir, "objects.log.jsonl"), "not json\n\n");
    const again = new StateFiles(dir);
    again.append(3, "", "configmaps", configMap("c", "one", 3), false);
    again.close();
    const loaded = new StateFiles(dir).load();
    assert.equal(loaded.resourceVersion, 1);
    assert.deepEqual(summary(loaded.objects), ["configmaps/default/a=one"]);
  });

  test("blank lines in the log are skipped", () => {
    const dir = freshDir();
    const files = new StateFiles(dir);
    files.append(1, "", "configmaps", configMap("a", "one", 1), false);
    files.close();
    appendFileSync(join(dir, "objects.log.jsonl"), "\n   \n");
    const again = new StateFiles(dir);
    again.append(2, "", "configmaps", configMap("b", "one", 2), false);
    again.close();
    assert.deepEqual(summary(new StateFiles(dir).load().objects), [
      "configmaps/default/a=one",
      "configmaps/default/b=one",
    ]);
  });

  test("an unreadable snapshot fails the load loudly instead of starting empty", () => {
    const dir = freshDir();
    new StateFiles(dir).compact(1, [{ group: "", resource: "configmaps", object: configMap("a", "one", 1) }]);
    writeFileSync(join(dir, "objects.snapshot.json"), '{"resourceVersion": 1, "objects": [');
    assert.throws(() => new StateFiles(dir).load(), SyntaxError);
    assert.ok(existsSync(join(dir, "objects.snapshot.json")), "the damaged snapshot is left for inspection");
  });
});
