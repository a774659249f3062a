import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { metadataRoute } from "./acr-catalog.ts";

const at = (path: string) => new URL(path, "https://127.0.0.1:5443");

describe("ACR metadata routes", () => {
  test("names the catalog, tag lists, one tag and one manifest, with URL-encoded repository names", () => {
    assert.deepEqual(metadataRoute("GET", at("/acr/v1/_catalog?n=10")), { kind: "catalog" });
    assert.deepEqual(metadataRoute("GET", at("/acr/v1/team%2Fapp/_tags")), {
      kind: "tags",
      name: "team/app",
      tag: undefined,
    });
    assert.deepEqual(metadataRoute("GET", at("/acr/v1/team/app/_tags/v1")), {
      kind: "tags",
      name: "team/app",
      tag: "v1",
    });
    assert.deepEqual(metadataRoute("GET", at("/acr/v1/app/_manifests/sha256%3Aabc")), {
      kind: "manifest",
      name: "app",
      digest: "sha256:abc",
    });
  });

  test("names the manifest list of a repository", () => {
    assert.deepEqual(metadataRoute("GET", at("/acr/v1/app/_manifests")), { kind: "manifests", name: "app" });
    assert.deepEqual(metadataRoute("GET", at("/acr/v1/team%2Fapp")), {
      kind: "repository",
      name: "team/app",
    });
    assert.deepEqual(metadataRoute("GET", at("/acr/v1/app")), { kind: "repository", name: "app" });
  });

  test("leaves other methods and paths alone", () => {
    assert.equal(metadataRoute("DELETE", at("/acr/v1/app/_tags/v1")), undefined);
    assert.equal(metadataRoute("GET", at("/v2/_catalog")), undefined);
    assert.equal(metadataRoute("GET", at("/acr/v1/..%2F..%2Fetc/_tags")), undefined);
    assert.equal(metadataRoute("GET", at("/acr/v1/App/_tags")), undefined);
    assert.equal(metadataRoute("GET", at("/acr/v1/..%2F..%2Fetc")), undefined);
  });
});
