import assert from "node:assert/strict";
import { test } from "node:test";
import { codeBlock, escapeCell, markdownTable } from "./markdown.ts";
import { formatProblem } from "./problem.ts";
import { Redactor } from "./redact.ts";

test("formatProblem names file, line, document and path when known", () => {
  assert.equal(
    formatProblem({
      file: "k8s/app.yaml",
      line: 12,
      document: 1,
      path: "spec.replicas",
      message: "must be >= 0",
    }),
    "k8s/app.yaml:12 (document 1) spec.replicas: must be >= 0",
  );
  assert.equal(
    formatProblem({ message: "no manifests", hint: "give a folder" }),
    "no manifests (give a folder)",
  );
});

test("markdownTable escapes pipes and newlines", () => {
  assert.equal(markdownTable(["a", "b"], [["x|y", "1\n2"]]), "| a | b |\n|---|---|\n| x\\|y | 1<br>2 |");
  assert.equal(escapeCell("a\\b"), "a\\\\b");
});

test("codeBlock fences longer than any backtick run inside", () => {
  assert.equal(codeBlock("a ``` b"), "````\na ``` b\n````");
  assert.equal(codeBlock("plain", "text"), "```text\nplain\n```");
});

test("Redactor replaces every registered secret, longest first, and ignores tiny values", () => {
  const redactor = new Redactor();
  redactor.add("s3cr3t-token");
  redactor.add("s3cr3t");
  redactor.add("ab");
  assert.equal(redactor.redact("t=s3cr3t-token p=s3cr3t ab"), "t=*** p=*** ab");
});
