// Every promise of the estate against the real terraform/ tree (parsed once for the file).
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { loadTfTree, type TfFile } from "../tf-tree.ts";
import { POLICIES } from "./index.ts";

let tree: TfFile[];
before(async () => {
  tree = await loadTfTree();
});

describe("the estate keeps its promises", () => {
  for (const [promise, policy] of Object.entries(POLICIES)) {
    test(promise, () => {
      assert.deepEqual(policy(tree), []);
    });
  }
});
