import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseOptions } from "./options.ts";

describe("bench:platform options", () => {
  test("defaults: simulated runtime, 7 repetitions, pods ready after 200 ms", () => {
    assert.deepEqual(parseOptions([]), { runtime: "simulated", repetitions: 7, readyAfterMs: 200 });
  });

  test("flags override the defaults", () => {
    assert.deepEqual(parseOptions(["--runtime", "docker", "--repetitions", "3", "--ready-after-ms", "500"]), {
      runtime: "docker",
      repetitions: 3,
      readyAfterMs: 500,
    });
  });

  test("bad values are refused with the reason", () => {
    assert.throws(() => parseOptions(["--runtime", "podman"]), {
      message: '--runtime must be simulated or docker, got "podman"',
    });
    assert.throws(() => parseOptions(["--repetitions", "0"]), {
      message: '--repetitions must be a positive integer, got "0"',
    });
    assert.throws(() => parseOptions(["--repetitions"]), /--repetitions needs a value/);
    assert.throws(() => parseOptions(["--fast", "1"]), /unknown option --fast/);
  });
});
