import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { registryAuthHeader } from "../../docker-engine/engine-client.ts";
import { isLoopbackRegistry, parseImageReference } from "./image-pull.ts";
import { demultiplex } from "./log-demux.ts";

describe("image references, the engine's auth header, multiplexed logs", () => {
  test("image references, loopback registries, and the auth header the engine decodes", () => {
    assert.deepEqual(parseImageReference("127.0.0.1:5443/cjh/api@sha256:abc"), {
      repository: "127.0.0.1:5443/cjh/api",
      tag: undefined,
      digest: "sha256:abc",
    });
    assert.deepEqual(parseImageReference("localhost:5000/app:v2"), {
      repository: "localhost:5000/app",
      tag: "v2",
      digest: undefined,
    });
    assert.deepEqual(parseImageReference("busybox"), {
      repository: "busybox",
      tag: undefined,
      digest: undefined,
    });
    assert.equal(isLoopbackRegistry("127.0.0.1:5443"), true);
    assert.equal(isLoopbackRegistry("localhost:5000"), true);
    assert.equal(isLoopbackRegistry("myregistry.azurecr.io"), false);
    // Padded, URL-safe: Go's base64.URLEncoding, which the engine uses to decode it.
    const header = registryAuthHeader({ username: "u", password: "p?>x" });
    assert.match(header, /=$/);
    assert.doesNotMatch(header, /[+/]/);
    assert.deepEqual(JSON.parse(Buffer.from(header, "base64url").toString()), {
      username: "u",
      password: "p?>x",
    });
  });

  test("multiplexed logs are joined back in order", () => {
    const frame = (stream: number, text: string) => {
      const payload = Buffer.from(text);
      const header = Buffer.alloc(8);
      header.writeUInt8(stream, 0);
      header.writeUInt32BE(payload.length, 4);
      return Buffer.concat([header, payload]);
    };
    assert.equal(
      demultiplex(Buffer.concat([frame(1, "out 1\n"), frame(2, "err\n"), frame(1, "out 2\n")])),
      "out 1\nerr\nout 2\n",
    );
  });
});
