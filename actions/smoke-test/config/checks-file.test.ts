import assert from "node:assert/strict";
import { test } from "node:test";
import { parseChecks } from "./checks-file.ts";

const valid = `checks:
  - name: health
    path: /healthz
    expect:
      status: 200
      content-type: application/json
      json:
        - field: /status
          equals: ok
`;

test("parseChecks reads a YAML checks file with defaults filled in", () => {
  const result = parseChecks(valid, "checks.yaml");
  assert.ok(result.ok);
  assert.deepEqual(result.checks, [
    {
      name: "health",
      path: "/healthz",
      method: "GET",
      headers: {},
      expect: { status: 200, "content-type": "application/json", json: [{ field: "/status", equals: "ok" }] },
    },
  ]);
});

test("parseChecks reads JSON with the same schema", () => {
  const json = JSON.stringify(
    { checks: [{ name: "h", path: "/healthz", expect: { status: 200 } }] },
    null,
    2,
  );
  const result = parseChecks(json, "checks.json");
  assert.ok(result.ok);
  assert.equal(result.checks[0]?.path, "/healthz");
});

test("parseChecks names the line of an unknown field", () => {
  const text = valid.replace("    path: /healthz\n", "    path: /healthz\n    timeout: 3\n");
  assert.deepEqual(parseChecks(text, "checks.yaml"), {
    ok: false,
    problems: [{ file: "checks.yaml", line: 4, path: "checks[0].timeout", message: "unknown field" }],
  });
});

test("parseChecks names the line of each bad value", () => {
  const text = valid.replace("status: 200", "status: 2000").replace("field: /status", "field: status");
  const result = parseChecks(text, "c.yaml");
  assert.deepEqual(result, {
    ok: false,
    problems: [
      {
        file: "c.yaml",
        line: 5,
        path: "checks[0].expect.status",
        message: "Too big: expected number to be <=599",
      },
      {
        file: "c.yaml",
        line: 8,
        path: "checks[0].expect.json[0].field",
        message: "must be a JSON Pointer such as /items/0/id",
      },
    ],
  });
});

test("parseChecks names a field expectation that expects nothing", () => {
  const text = valid.replace("          equals: ok\n", "");
  const result = parseChecks(text, "c.yaml");
  assert.deepEqual(result, {
    ok: false,
    problems: [
      { file: "c.yaml", line: 8, path: "checks[0].expect.json[0]", message: "give type, equals or both" },
    ],
  });
});

test("parseChecks reports YAML errors (a duplicate key) with their line", () => {
  const result = parseChecks("checks:\n  - name: a\n    name: b\n", "bad.yaml");
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  assert.deepEqual(result.problems, [{ file: "bad.yaml", line: 3, message: "Map keys must be unique" }]);
});

test("parseChecks refuses a file without checks", () => {
  assert.deepEqual(parseChecks("checks: []\n", "e.yaml"), {
    ok: false,
    problems: [
      { file: "e.yaml", line: 1, path: "checks", message: "Too small: expected array to have >=1 items" },
    ],
  });
});
