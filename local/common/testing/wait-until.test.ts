import assert from "node:assert/strict";
import { test } from "node:test";
import { waitUntil } from "./wait-until.ts";

test("returns the first value the check gives, synchronous or not", async () => {
  let polls = 0;
  assert.equal(await waitUntil("the third poll", () => (++polls >= 3 ? polls : undefined)), 3);
  assert.equal(await waitUntil("an async value", async () => "ready"), "ready");
});

test("false and undefined mean not yet; a check that throws is tried again", async () => {
  const answers: (() => number | false | undefined)[] = [
    () => false,
    () => {
      throw new Error("connection refused");
    },
    () => undefined,
    () => 0,
  ];
  assert.equal(await waitUntil("a zero", () => (answers.shift() ?? (() => 1))()), 0);
});

test("gives up naming what it waited for and the last thing seen", async () => {
  await assert.rejects(
    waitUntil(
      "the pod running",
      () => {
        throw new Error("connection refused");
      },
      { timeoutMs: 20 },
    ),
    /^Error: timed out waiting for the pod running; last seen: connection refused$/,
  );
  await assert.rejects(
    waitUntil("two replicas", () => false, { timeoutMs: 20, describe: () => ({ replicas: 1 }) }),
    (error: Error) =>
      error.message.startsWith("timed out waiting for two replicas; last seen: {") &&
      error.message.includes('"replicas": 1'),
  );
});
