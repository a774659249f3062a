import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseScopes } from "./acr-tokens.ts";

describe("ACR token scopes", () => {
  test("parses repository and registry scopes, nested names and several scopes per string", () => {
    assert.deepEqual(
      parseScopes(["repository:team/app:pull,push registry:catalog:*", "repository:solo:pull"]),
      [
        { type: "repository", name: "team/app", actions: ["pull", "push"] },
        { type: "registry", name: "catalog", actions: ["*"] },
        { type: "repository", name: "solo", actions: ["pull"] },
      ],
    );
  });

  test("ignores malformed scopes", () => {
    assert.deepEqual(parseScopes(["", "repository", "repository:app"]), []);
  });
});
