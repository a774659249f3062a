import assert from "node:assert/strict";
import { test } from "node:test";
import type { V1Pod } from "@kubernetes/client-node";
import { containerDigests, digestSignals, pinnedDigest, runsPinnedDigests } from "./pod-digests.ts";

const digest = `sha256:${"a".repeat(64)}`;
const other = `sha256:${"b".repeat(64)}`;

test("pinnedDigest: digest references only, by the distribution grammar", () => {
  assert.equal(pinnedDigest(`registry.example:5000/team/api@${digest}`), digest);
  assert.equal(pinnedDigest(`api:1.2@${digest}`), digest);
  assert.equal(pinnedDigest("registry.example:5000/team/api:1.2"), undefined);
  assert.equal(pinnedDigest("api@sha256:short"), undefined);
  assert.equal(pinnedDigest(undefined), undefined);
  assert.equal(pinnedDigest(`api@multihash+base58:${"0".repeat(32)}`), `multihash+base58:${"0".repeat(32)}`);
});

function pod(image: string, imageID: string): V1Pod {
  return {
    metadata: { name: "api-1-abc" },
    spec: {
      containers: [
        { name: "web", image },
        { name: "sidecar", image: "proxy:2" },
      ],
    },
    status: {
      containerStatuses: [
        { name: "web", image, imageID, ready: true, restartCount: 0 },
        { name: "sidecar", image: "proxy:2", imageID: "proxy@sha256:whatever", ready: true, restartCount: 0 },
      ],
    },
  };
}

test("a pod running the pinned digest passes (plain and docker-pullable imageIDs)", () => {
  for (const imageID of [`api@${digest}`, `docker-pullable://api@${digest}`]) {
    const running = pod(`api@${digest}`, imageID);
    assert.equal(runsPinnedDigests(running), true);
    assert.deepEqual(digestSignals(running), []);
  }
});

test("a pod running another digest is a decisive ImageDigestMismatch", () => {
  const stale = pod(`api@${digest}`, `api@${other}`);
  assert.equal(runsPinnedDigests(stale), false);
  assert.deepEqual(digestSignals(stale), [
    {
      pod: "api-1-abc",
      container: "web",
      reason: "ImageDigestMismatch",
      message: `container "web" runs api@${other}, not the requested ${digest}`,
      decisive: true,
    },
  ]);
});

test("an image not pulled yet is not a mismatch, but not a pass either", () => {
  const pulling = pod(`api@${digest}`, "");
  assert.equal(runsPinnedDigests(pulling), false);
  assert.deepEqual(digestSignals(pulling), []);
  assert.deepEqual(containerDigests(pulling), [
    { container: "web", expected: digest, imageID: "", matches: false },
  ]);
});

test("containers by tag are not checked", () => {
  assert.equal(runsPinnedDigests(pod("api:1", "api@sha256:anything")), true);
});
