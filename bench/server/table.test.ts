import assert from "node:assert/strict";
import { test } from "node:test";
import { renderTable } from "./table.ts";

test("pads every column to its widest cell", () => {
  const table = renderTable(
    ["name", "req/s"],
    [
      ["bare node:http", "12"],
      ["app", "9876"],
    ],
  );
  assert.equal(
    table,
    [
      "| name           | req/s |",
      "|----------------|-------|",
      "| bare node:http | 12    |",
      "| app            | 9876  |",
    ].join("\n"),
  );
});

test("refuses a row with the wrong number of cells", () => {
  assert.throws(() => renderTable(["a", "b"], [["only one"]]), /row has 1 cells, header has 2/);
});
