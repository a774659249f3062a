import assert from "node:assert/strict";
import { test } from "node:test";
import { labelSelectorText } from "./label-selector.ts";

test("labelSelectorText: matchLabels and every operator, in the API's syntax", () => {
  assert.equal(
    labelSelectorText({
      matchLabels: { app: "api", "pod-template-hash": "7d9f" },
      matchExpressions: [
        { key: "tier", operator: "In", values: ["web", "api"] },
        { key: "track", operator: "NotIn", values: ["canary"] },
        { key: "team", operator: "Exists" },
        { key: "legacy", operator: "DoesNotExist" },
      ],
    }),
    "app=api,pod-template-hash=7d9f,tier in (api,web),track notin (canary),team,!legacy",
  );
  assert.equal(labelSelectorText(undefined), "");
});

test("labelSelectorText: an unknown operator is an error naming it", () => {
  assert.throws(() => labelSelectorText({ matchExpressions: [{ key: "a", operator: "Near" }] }), {
    message: 'label selector: "Near" is not a valid operator for key "a"',
  });
});
