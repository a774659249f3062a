import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeHash, fnv32a, safeAlphabet, safeEncodeString } from "./hash.ts";

const template = {
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "web", image: "web:1" }] },
};

describe("pod-template-hash", () => {
  test("fnv32a matches the reference vectors", () => {
    assert.equal(fnv32a(new TextEncoder().encode("")), 0x811c9dc5);
    assert.equal(fnv32a(new TextEncoder().encode("a")), 0xe40c292c);
    assert.equal(fnv32a(new TextEncoder().encode("foobar")), 0xbf9cf968);
  });

  test("SafeEncodeString maps each byte into the safe alphabet as Go does", () => {
    // '0' is 48, 48 % 27 = 21 -> '4'; '9' is 57, 57 % 27 = 3 -> 'f'.
    assert.equal(safeEncodeString("09"), "4f");
  });

  test("the hash has the real shape: up to 10 characters of the safe alphabet", () => {
    const hash = computeHash(template, undefined);
    assert.match(hash, new RegExp(`^[${safeAlphabet}]{1,10}$`));
  });

  test("the hash ignores key order but not content", () => {
    const reordered = {
      spec: { containers: [{ image: "web:1", name: "web" }] },
      metadata: { labels: { app: "web" } },
    };
    assert.equal(computeHash(reordered, undefined), computeHash(template, undefined));
    const changed = structuredClone(template);
    changed.spec.containers[0] = { name: "web", image: "web:2" };
    assert.notEqual(computeHash(changed, undefined), computeHash(template, undefined));
  });

  test("collisionCount changes the hash", () => {
    assert.notEqual(computeHash(template, 1), computeHash(template, undefined));
    assert.notEqual(computeHash(template, 1), computeHash(template, 2));
  });
});
