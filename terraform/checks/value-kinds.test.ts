import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { kindOfTypeConstraint, literalFits } from "./value-kinds.ts";

describe("literalFits", () => {
  test("accepts what Terraform converts and expressions, refuses the rest", () => {
    assert.equal(literalFits(3, "string"), true);
    assert.equal(literalFits("12", "number"), true);
    assert.equal(literalFits("false", "bool"), true);
    assert.equal(literalFits(`\${var.x}`, "list"), true);
    assert.equal(literalFits(null, "number"), true);
    assert.equal(literalFits("twelve", "number"), false);
    assert.equal(literalFits(1, "bool"), false);
    assert.equal(literalFits("1", "list"), false);
    assert.equal(literalFits(["a"], "map"), false);
    assert.equal(literalFits({ a: "b" }, "string"), false);
  });
});

describe("kindOfTypeConstraint", () => {
  test("reads hcl2json's type constraints", () => {
    // hcl2json writes `type = list(string)` as "${list(string)}".
    const constraint = (type: string) => `\${${type}}`;
    const types = [
      "string",
      "number",
      "bool",
      "list(string)",
      "set(string)",
      "map(string)",
      "object({ a = string })",
      "any",
    ];
    assert.deepEqual(
      [...types.map((type) => kindOfTypeConstraint(constraint(type))), kindOfTypeConstraint(undefined)],
      ["string", "number", "bool", "list", "list", "map", "map", "any", "any"],
    );
  });
});
