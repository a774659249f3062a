import assert from "node:assert/strict";
import { test } from "node:test";
import type { Problem } from "../report/problem.ts";
import {
  booleanInput,
  durationInput,
  listInput,
  numberInput,
  parseDuration,
  requiredInput,
  stringInput,
} from "./inputs.ts";

test("stringInput trims and treats empty as not given", () => {
  assert.equal(stringInput({ a: "  x " }, "a"), "x");
  assert.equal(stringInput({ a: "   " }, "a"), undefined);
  assert.equal(stringInput({}, "a"), undefined);
});

test("listInput splits lines and repeated flags alike, dropping blanks", () => {
  assert.deepEqual(listInput({ image: "a=1\n\n b=2 " }, "image"), ["a=1", "b=2"]);
  assert.deepEqual(listInput({ image: ["a=1", "b=2\nc=3"] }, "image"), ["a=1", "b=2", "c=3"]);
});

test("requiredInput names the missing input", () => {
  const problems: Problem[] = [];
  assert.equal(requiredInput({}, "namespace", problems), undefined);
  assert.deepEqual(problems, [{ file: "input namespace", message: "is required" }]);
});

test("booleanInput takes YAML booleans and names a bad one", () => {
  const problems: Problem[] = [];
  assert.equal(booleanInput({ x: "True" }, "x", false, problems), true);
  assert.equal(booleanInput({ x: "false" }, "x", true, problems), false);
  assert.equal(booleanInput({}, "x", true, problems), true);
  assert.equal(booleanInput({ x: "yes" }, "x", false, problems), false);
  assert.deepEqual(problems, [
    { file: "input x", message: '"yes" is not a boolean', hint: "use true or false" },
  ]);
});

test("numberInput checks type and range", () => {
  const problems: Problem[] = [];
  assert.equal(numberInput({ n: "3" }, "n", 1, { min: 0, integer: true }, problems), 3);
  numberInput({ n: "1.5" }, "n", 1, { integer: true }, problems);
  numberInput({ n: "abc" }, "n", 1, {}, problems);
  numberInput({ n: "-1" }, "n", 1, { min: 0, max: 10 }, problems);
  assert.deepEqual(
    problems.map((problem) => [problem.message, problem.hint]),
    [
      ['"1.5" is not an integer', undefined],
      ['"abc" is not a number', undefined],
      ["-1 is out of range", "must be a number >= 0 and <= 10"],
    ],
  );
});

test("parseDuration reads Go-style durations", () => {
  assert.equal(parseDuration("90s"), 90_000);
  assert.equal(parseDuration("10m"), 600_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("500ms"), 500);
  assert.equal(parseDuration("1.5s"), 1_500);
  for (const bad of ["", "10", "m", "-1s", "10 m", "1d"]) assert.equal(parseDuration(bad), undefined, bad);
});

test("durationInput names a bad duration and says how to write one", () => {
  const problems: Problem[] = [];
  assert.equal(durationInput({ timeout: "soon" }, "timeout", 1_000, problems), 1_000);
  assert.deepEqual(problems, [
    {
      file: "input timeout",
      message: '"soon" is not a duration',
      hint: "use a number with a unit: 500ms, 90s, 10m, 1h",
    },
  ]);
});
