import assert from "node:assert/strict";
import { test } from "node:test";
import { actionsWithEntries, staleBundles } from "./build-bundles.ts";

test("every committed action bundle matches a fresh build of its sources", async () => {
  const stale = await staleBundles();
  assert.deepEqual(stale, [], `rebuild with npm run build:actions: ${stale.join(", ")}`);
});

test("actions are found by their GitHub entry", () => {
  for (const action of actionsWithEntries()) assert.match(action, /^[a-z][a-z0-9-]*$/);
});
