import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { buildArgv } from "./build-command.ts";

const request = {
  context: "/ctx",
  dockerfile: "/ctx/Dockerfile",
  name: "r.io/team/app",
  tags: ["abc1234", "1.0.0"],
  revision: "abc1234",
  version: "1.0.0",
  sourceDateEpoch: 1700000000,
  buildArgs: { EXTRA: "x" },
  iidFile: "/tmp/iid",
};

describe("buildArgv", () => {
  test("classic: tags, OCI labels, commit-time build args, no registry cache", () => {
    assert.deepEqual(buildArgv({ ...request, builder: "classic", network: "host" }), [
      "build",
      "--file",
      "/ctx/Dockerfile",
      "--tag",
      "r.io/team/app:abc1234",
      "--tag",
      "r.io/team/app:1.0.0",
      "--label",
      "org.opencontainers.image.revision=abc1234",
      "--label",
      "org.opencontainers.image.version=1.0.0",
      "--label",
      "org.opencontainers.image.created=2023-11-14T22:13:20.000Z",
      "--build-arg",
      "REVISION=abc1234",
      "--build-arg",
      "VERSION=1.0.0",
      "--build-arg",
      "CREATED=2023-11-14T22:13:20.000Z",
      "--build-arg",
      "SOURCE_DATE_EPOCH=1700000000",
      "--build-arg",
      "EXTRA=x",
      "--network",
      "host",
      "--iidfile",
      "/tmp/iid",
      "/ctx",
    ]);
  });

  test("buildx: loads the image and uses the registry cache", () => {
    const argv = buildArgv({ ...request, builder: "buildx" });
    assert.deepEqual(argv.slice(0, 3), ["buildx", "build", "--load"]);
    assert.ok(argv.includes("type=registry,ref=r.io/team/app:buildcache"));
    assert.ok(argv.includes("type=registry,ref=r.io/team/app:buildcache,mode=max"));
  });
});
