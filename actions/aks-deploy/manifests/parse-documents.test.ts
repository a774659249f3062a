import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { maxAliasCount, parseDocuments } from "./parse-documents.ts";

const configMap = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n";

describe("parseDocuments", () => {
  test("a stream of objects: each with its index and the line its content starts on; empty documents skipped", () => {
    const { documents, problems } = parseDocuments(
      "app.yaml",
      `---\n${configMap}---\n---\n# note\n${configMap}`,
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      documents.map((document) => [document.file, document.index, document.line, document.object.kind]),
      [
        ["app.yaml", 0, 2, "ConfigMap"],
        ["app.yaml", 2, 9, "ConfigMap"],
      ],
    );
  });

  test("the line of every written field, by path, list items included", () => {
    const text = `# leading comment\n${configMap}spec:\n  containers:\n    - name: a\n      image: x\n    - name: b\n`;
    const lines = parseDocuments("app.yaml", text).documents[0]?.fieldLines;
    assert.deepEqual(
      [...(lines ?? [])],
      [
        ["apiVersion", 2],
        ["kind", 3],
        ["metadata", 4],
        ["metadata.name", 5],
        ["spec", 6],
        ["spec.containers", 7],
        ["spec.containers[0]", 8],
        ["spec.containers[0].name", 8],
        ["spec.containers[0].image", 9],
        ["spec.containers[1]", 10],
        ["spec.containers[1].name", 10],
      ],
    );
  });

  test("JSON is read as YAML", () => {
    const { documents } = parseDocuments("app.json", '{"apiVersion": "v1", "kind": "ConfigMap"}');
    assert.deepEqual(documents[0]?.object, { apiVersion: "v1", kind: "ConfigMap" });
  });

  test("YAML 1.1 scalars as kubectl reads them: 0644 is octal, yes is true, dates stay text", () => {
    const { documents } = parseDocuments(
      "a.yaml",
      `${configMap}data:\n  mode: 0644\n  flag: yes\n  day: 2026-11-30\n`,
    );
    assert.deepEqual(documents[0]?.object, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "settings" },
      data: { mode: 420, flag: true, day: "2026-11-30" },
    });
  });

  test("aliases become copies: editing one place leaves the other alone", () => {
    const text = `apiVersion: v1\nkind: List\na: &shared {x: 1}\nb: *shared\n`;
    const object = parseDocuments("a.yaml", text).documents[0]?.object as unknown as Record<
      string,
      { x: number }
    >;
    assert.ok(object.a && object.b);
    object.a.x = 2;
    assert.equal(object.b.x, 1);
  });

  test("every problem of every document, each with its message and document index", () => {
    const text = [
      "a: 1\na: 2", // 0 duplicate key
      "- not\n- an object", // 1 list
      "just text", // 2 string
      "kind: Thing\nfoo: [", // 3 syntax
      configMap, // 4 fine
      "kind: ConfigMap", // 5 no apiVersion
      "apiVersion: 3\nkind: ''", // 6 wrong types
      "a: *nowhere", // 7 unresolved alias
      "a: b\n\tc: d", // 8 tab
      '{"a": 1, "a": 2}', // 9 JSON duplicate
    ].join("\n---\n");
    const { documents, problems } = parseDocuments("bad.yaml", text);
    assert.deepEqual(
      documents.map((document) => document.index),
      [4],
    );
    assert.deepEqual(problems, [
      {
        file: "bad.yaml",
        document: 0,
        line: 2,
        message: 'duplicate key "a" at line 2, column 1',
        hint: "remove one of the two; tools disagree on which one wins",
      },
      {
        file: "bad.yaml",
        document: 1,
        line: 4,
        message: "document is a list, not a Kubernetes object",
        hint: "each document must be a mapping with apiVersion, kind and metadata",
      },
      {
        file: "bad.yaml",
        document: 2,
        line: 7,
        message: "document is a string, not a Kubernetes object",
        hint: "each document must be a mapping with apiVersion, kind and metadata",
      },
      {
        file: "bad.yaml",
        document: 3,
        line: 11,
        message:
          "YAML syntax error at line 11, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]",
        hint: "fix the YAML (indentation, quotes, brackets)",
      },
      {
        file: "bad.yaml",
        document: 5,
        line: 18,
        path: "apiVersion",
        message: "apiVersion is missing",
        hint: "every object needs apiVersion and kind, e.g. apiVersion: apps/v1, kind: Deployment",
      },
      {
        file: "bad.yaml",
        document: 6,
        line: 20,
        path: "apiVersion",
        message: "apiVersion must be a non-empty string",
        hint: "every object needs apiVersion and kind, e.g. apiVersion: apps/v1, kind: Deployment",
      },
      {
        file: "bad.yaml",
        document: 6,
        line: 20,
        path: "kind",
        message: "kind must be a non-empty string",
        hint: "every object needs apiVersion and kind, e.g. apiVersion: apps/v1, kind: Deployment",
      },
      {
        file: "bad.yaml",
        document: 7,
        line: 23,
        message: "YAML error: Unresolved alias (the anchor must be set before the alias): nowhere",
      },
      {
        file: "bad.yaml",
        document: 8,
        line: 26,
        message: "YAML syntax error at line 26, column 1: Tabs are not allowed as indentation",
        hint: "fix the YAML (indentation, quotes, brackets)",
      },
      {
        file: "bad.yaml",
        document: 9,
        line: 28,
        message: 'duplicate key "a" at line 28, column 10',
        hint: "remove one of the two; tools disagree on which one wins",
      },
    ]);
  });

  test("an alias bomb (a billion laughs) is refused at once, without expanding it", () => {
    const levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    for (let level = 1; level < 10; level += 1) {
      const previous = `*a${level - 1}`;
      levels.push(`a${level}: &a${level} [${Array(9).fill(previous).join(", ")}]`);
    }
    const before = process.memoryUsage().heapUsed;
    const { documents, problems } = parseDocuments("bomb.yaml", `${configMap}${levels.join("\n")}\n`);
    assert.deepEqual(documents, []);
    assert.deepEqual(problems, [
      {
        file: "bomb.yaml",
        document: 0,
        line: 1,
        message: `YAML aliases expand to more than ${maxAliasCount} nodes: refused as a possible alias bomb`,
        hint: "write the repeated parts out instead of using anchors and aliases",
      },
    ]);
    // 9^10 strings expanded would be gigabytes; the refusal costs next to nothing.
    assert.ok(process.memoryUsage().heapUsed - before < 64 * 1024 * 1024);
  });

  test("a stream of only comments has no documents and no problems (the caller reports an empty set)", () => {
    assert.deepEqual(parseDocuments("empty.yaml", "# nothing here\n"), { documents: [], problems: [] });
  });
});
