import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isVerified, lastVerified, type Release, unfinished } from "./release.ts";

const target = (uid: string) => ({
  revision: 1,
  replicaSetName: `web-${uid}`,
  replicaSetUid: uid,
  templateHash: uid,
  images: [],
});
const release = (id: number, uid: string, extra: Partial<Release> = {}): Release => ({
  id,
  kind: "deploy",
  run: `run-${id}`,
  startedAt: "2026-01-01T00:00:00Z",
  changeCause: "",
  target: target(uid),
  state: "deployed",
  ...extra,
});
const verified = { at: "2026-01-01T00:01:00Z", by: "smoke-test" };

describe("release rules", () => {
  test("lastVerified: the newest verified release, never the excluded (failed) one", () => {
    const releases = [
      release(1, "a", { verified }),
      release(2, "b", { verified }),
      release(3, "c"),
      release(4, "d", { state: "rolled-back" }),
    ];
    assert.equal(lastVerified(releases)?.id, 2);
    assert.equal(lastVerified(releases, "b")?.id, 1);
    assert.equal(lastVerified([release(1, "a")]), undefined);
  });

  test("unfinished: releases left applying or waiting on their undo", () => {
    const releases = [
      release(1, "a"),
      release(2, "b", { state: "applying" }),
      release(3, "c", { state: "undo-requested" }),
    ];
    assert.deepEqual(
      unfinished(releases).map((entry) => entry.id),
      [2, 3],
    );
  });

  test("isVerified looks at the ReplicaSet's uid", () => {
    assert.equal(isVerified([release(1, "a", { verified })], "a"), true);
    assert.equal(isVerified([release(1, "a", { verified })], "b"), false);
  });
});
