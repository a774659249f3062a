import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { digestAgreement } from "./digest-agreement.ts";

const a = `sha256:${"a".repeat(64)}`;
const b = `sha256:${"b".repeat(64)}`;
const name = "r.io/team/app";

describe("digestAgreement", () => {
  test("one digest from the push, the engine and the registry", () => {
    assert.deepEqual(
      digestAgreement({
        name,
        pushed: { abc: a, "1.0": a },
        repoDigests: [`other.io/x@${b}`, `${name}@${a}`],
        registry: a,
      }),
      { ok: true, digest: a },
    );
  });

  test("an empty or disagreeing witness fails, naming each", () => {
    assert.deepEqual(digestAgreement({ name, pushed: { abc: undefined }, repoDigests: [], registry: a }), {
      ok: false,
      message: `docker push reported no digest for ${name}:abc`,
    });
    assert.deepEqual(digestAgreement({ name, pushed: { abc: a, "1.0": b }, repoDigests: [], registry: a }), {
      ok: false,
      message: `the tags were pushed with different digests: ${a}, ${b}`,
    });
    assert.deepEqual(
      digestAgreement({ name, pushed: { abc: a }, repoDigests: [`${name}@${a}`], registry: b }),
      {
        ok: false,
        message: `digests disagree: docker push reported ${a}, docker inspect ${a}, the registry ${b}`,
      },
    );
    assert.deepEqual(digestAgreement({ name, pushed: { abc: a }, repoDigests: [], registry: "" }), {
      ok: false,
      message: `digests disagree: docker push reported ${a}, docker inspect (none), the registry (none)`,
    });
  });
});
