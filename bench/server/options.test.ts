import assert from "node:assert/strict";
import { test } from "node:test";
import { parseOptions } from "./options.ts";

test("uses the defaults when no flag is given", () => {
  assert.deepEqual(parseOptions([]), {
    rounds: 5,
    durationSeconds: 5,
    warmupSeconds: 3,
    connections: 64,
    postings: 100_000,
    poolMax: 10,
    wrkThreads: 1,
    scrapeRate: 150,
  });
});

test("reads each flag", () => {
  const options = parseOptions([
    "--rounds",
    "2",
    "--duration=3",
    "--connections",
    "16",
    "--wrk-threads",
    "2",
  ]);
  assert.equal(options.rounds, 2);
  assert.equal(options.durationSeconds, 3);
  assert.equal(options.connections, 16);
  assert.equal(options.wrkThreads, 2);
});

test("refuses a value that is not a positive integer, naming the flag", () => {
  assert.throws(() => parseOptions(["--rounds", "0"]), /--rounds must be a positive integer \(got "0"\)/);
  assert.throws(
    () => parseOptions(["--duration", "fast"]),
    /--duration must be a positive integer \(got "fast"\)/,
  );
});

test("refuses an unknown flag", () => {
  assert.throws(() => parseOptions(["--turbo", "1"]), /Unknown option '--turbo'/);
});
