// Each actions/<name>/action.yml against SchemaStore's action metadata schema (checks/schemas/), plus what our
// actions promise (actions/README.md): a node24 JavaScript action running its committed bundle dist/index.mjs.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import { actionNames, actionsDir, readActionMetadata } from "./actions-metadata.ts";

const schema = JSON.parse(readFileSync(new URL("schemas/github-action.json", import.meta.url), "utf8"));
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);

/** Schema problems of parsed action metadata, each with its path. */
export function metadataProblems(metadata: unknown): string[] {
  if (validate(metadata)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}

describe("action.yml", () => {
  for (const name of actionNames()) {
    describe(name, () => {
      const metadata = readActionMetadata(name);

      it("matches the action metadata schema", () => assert.deepEqual(metadataProblems(metadata), []));

      it("runs its committed bundle on node24", () => {
        assert.equal(metadata.runs.using, "node24");
        assert.equal(metadata.runs.main, "dist/index.mjs");
        assert.ok(
          existsSync(join(actionsDir, name, "dist", "index.mjs")),
          `actions/${name}/dist/index.mjs is missing`,
        );
      });

      it("describes every input and output", () => {
        const undocumented = [
          ...Object.entries(metadata.inputs ?? {}),
          ...Object.entries(metadata.outputs ?? {}),
        ].filter(([, spec]) => !spec.description?.trim());
        assert.deepEqual(
          undocumented.map(([key]) => key),
          [],
        );
      });
    });
  }

  it("the schema catches a wrong runtime and an unknown key", () => {
    const problems = metadataProblems({
      name: "x",
      description: "x",
      runs: { using: "node8", main: "a.js" },
      bogus: 1,
    });
    assert.ok(problems.includes("/ must NOT have additional properties"), problems.join("\n"));
    assert.ok(
      problems.includes("/runs/using must be equal to one of the allowed values"),
      problems.join("\n"),
    );
  });
});
