// actions/README.md documents every input and output of every actions/<name>/action.yml, with its required flag
// and default as the metadata declares them: a changed action.yml fails here until the README follows.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";

interface ActionMetadata {
  inputs?: Record<string, { required?: boolean; default?: string }>;
  outputs?: Record<string, unknown>;
}

const actionsDir = import.meta.dirname;
const readme = readFileSync(join(actionsDir, "README.md"), "utf8");

/** The lines of the README's `### <name>` section, up to the next heading of level 2 or 3. */
export function section(markdown: string, name: string): string[] {
  const lines = markdown.split("\n");
  const start = lines.indexOf(`### ${name}`);
  if (start === -1) return [];
  const end = lines.findIndex((line, i) => i > start && /^#{2,3} /.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

/** Table rows whose first cell is a `code` name: name -> the other cells, trimmed. */
export function tableRows(lines: readonly string[]): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const line of lines) {
    const match = /^\| `([^`]+)` \|(.*)\|$/.exec(line);
    if (match?.[1] && match[2] !== undefined)
      rows.set(
        match[1],
        match[2].split(/(?<!\\)\|/).map((cell) => cell.trim()),
      );
  }
  return rows;
}

const actionNames = readdirSync(actionsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(actionsDir, entry.name, "action.yml")))
  .map((entry) => entry.name)
  .sort();

describe("actions/README.md", () => {
  it("finds the actions' metadata", () => assert.ok(actionNames.length > 0, "no actions/*/action.yml"));

  for (const name of actionNames) {
    const metadata = parse(readFileSync(join(actionsDir, name, "action.yml"), "utf8")) as ActionMetadata;
    const rows = tableRows(section(readme, name));

    it(`${name}: every input, with its required flag and default`, () => {
      const problems = Object.entries(metadata.inputs ?? {}).flatMap(([input, spec]) => {
        const row = rows.get(input);
        if (!row) return [`input ${input} is missing from the ### ${name} table`];
        const [required, defaultCell] = row;
        const expectedDefault = spec.default === undefined ? "" : `\`${spec.default}\``;
        return [
          ...(required === (spec.required ? "yes" : "no")
            ? []
            : [`input ${input}: required is ${required}, action.yml says ${spec.required === true}`]),
          ...(defaultCell === expectedDefault
            ? []
            : [`input ${input}: default is ${defaultCell}, action.yml says ${expectedDefault || "none"}`]),
        ];
      });
      assert.deepEqual(problems, []);
    });

    it(`${name}: every output`, () => {
      const missing = Object.keys(metadata.outputs ?? {}).filter((output) => !rows.has(output));
      assert.deepEqual(missing, [], `outputs missing from the ### ${name} table`);
    });
  }

  it("names what is missing, and where", () => {
    const rows = tableRows(
      section("### demo\n\n| `kept` | yes |  | d |\n\n## next\n| `later` | no |", "demo"),
    );
    assert.deepEqual([...rows.keys()], ["kept"]);
    assert.deepEqual(rows.get("kept"), ["yes", "", "d"]);
  });
});
