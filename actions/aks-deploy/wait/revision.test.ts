import assert from "node:assert/strict";
import { test } from "node:test";
import { revisionOf } from "./revision.ts";

const cases: [string, string | undefined, ReturnType<typeof revisionOf>][] = [
  ["missing annotation is revision 0", undefined, { revision: 0 }],
  ["plain number", "7", { revision: 7 }],
  ["leading plus and zeros, as ParseInt accepts", "+007", { revision: 7 }],
  ["negative", "-3", { revision: -3 }],
  ["not a number", "seven", { error: 'strconv.ParseInt: parsing "seven": invalid syntax' }],
  ["empty", "", { error: 'strconv.ParseInt: parsing "": invalid syntax' }],
  ["decimal point", "1.5", { error: 'strconv.ParseInt: parsing "1.5": invalid syntax' }],
  [
    "beyond int64",
    "9223372036854775808",
    { error: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' },
  ],
];

for (const [name, value, expected] of cases)
  test(`revisionOf: ${name}`, () => {
    const annotations: Record<string, string> =
      value === undefined ? {} : { "deployment.kubernetes.io/revision": value };
    assert.deepEqual(revisionOf({ annotations }), expected);
  });
