import fc from "fast-check";

/**
 * Inputs an attacker or a careless client sends, for the property-based tests: each arbitrary mixes values
 * near the edges the database, JavaScript and the schemas have (NUL, lone surrogates, years 0 and 10000,
 * integers past int4 and 2^53) with plain random ones.
 */

/** Property runs per route: enough to find a whole class of bad input, few enough to keep the suite fast. */
export const PROPERTY_RUNS = 100;

const edgeStrings = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDFFFx",
  "💥",
  "İ",
  "'; drop table jobs; --",
  "%",
  "_",
  "\\",
  "!",
  "& | <-> :*",
  '"unterminated',
  "-",
  "or",
  "x".repeat(10_001),
  "0000-01-01",
  "10000-01-01",
  "2026-02-30",
  "1970-01-01T00:00:00+14:00",
  "0001-01-01T00:00:00+01:00",
  "9999-12-31T23:59:59.999-01:00",
  "2026-11-01T09:30:00.123456789Z",
  "NaN",
  "Infinity",
  "-0",
  "1e400",
  "00000000000000000001",
  "__proto__",
  "constructor",
);

/** Any string, biased to edge cases: NUL, lone surrogates, SQL and tsquery syntax, dates out of range. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: edgeStrings },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }))
      .map(([head, tail]) => `${head}\u0000${tail}`),
  },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 150, maxLength: 400 }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.string({ maxLength: 8 }), edgeStrings, fc.string({ maxLength: 8 }))
      .map((parts) => parts.join("")),
  },
);

const edgeNumbers = fc.constantFrom(
  0,
  -0,
  -1,
  1,
  0.5,
  2_147_483_647,
  2_147_483_648,
  -2_147_483_649,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
  253_402_300_799_999,
  253_402_300_800_000,
  8.64e15,
  -62_135_596_800_001,
);

/** Numbers as JSON carries them: integers past int4 and 2^53, fractions, negatives, huge magnitudes. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  edgeNumbers,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.maxSafeInteger(),
);

/** Query-string text: decoded strings, and raw percent-escapes that are not UTF-8 or not escapes at all. */
export const hostileQueryValue: fc.Arbitrary<{ raw: string } | { text: string }> = fc.oneof(
  hostileString.map((text) => ({ text })),
  fc
    .constantFrom("%00", "%ZZ", "%C3%28", "%E0%80%80", "%F4%90%80%80", "%", "%2", "a%00b", "%ED%A0%80")
    .map((raw) => ({ raw })),
);

/** Cursors: base64url of "time.id" shapes with times and ids out of range, and random text. */
export const hostileCursor: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.oneof(fc.bigInt({ min: -(10n ** 16n), max: 10n ** 16n }), fc.constant(999_999_999_999_999n)),
      fc.oneof(fc.bigInt({ min: -1n, max: 10n ** 16n }), fc.constant(0n)),
    )
    .map(([time, id]) => Buffer.from(`${time}.${id}`).toString("base64url")),
  hostileString,
);

/** Any JSON value, and objects whose keys are the ones a schema expects or near misses. */
export function hostileJson(keys: readonly string[]): fc.Arbitrary<unknown> {
  const value = fc.oneof(hostileString, hostileNumber, fc.boolean(), fc.constant(null), fc.jsonValue());
  return fc.oneof(
    fc.jsonValue(),
    fc.dictionary(fc.oneof(fc.constantFrom(...keys), hostileString), value, { maxKeys: 6 }),
    fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }),
  );
}

/** Builds a query string from hostile values; raw values are sent exactly as written. */
export function queryString(params: [string, { raw: string } | { text: string }][]): string {
  return params
    .map(([name, value]) => `${encodeText(name)}=${"raw" in value ? value.raw : encodeText(value.text)}`)
    .join("&");
}

/** Percent-encodes text as a browser would, lone surrogates becoming U+FFFD (encodeURIComponent throws). */
export function encodeText(text: string): string {
  return encodeURIComponent(
    text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD"),
  );
}
