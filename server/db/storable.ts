import type { z } from "zod";

/**
 * The bounds of what PostgreSQL (through postgres.js) can store, checked where input enters so a value the
 * database would refuse is a 400 naming its field (or a skipped import item), never a failed statement.
 */

/** PostgreSQL text cannot hold U+0000: it refuses it with 22021 "invalid byte sequence". */
export const NUL_MESSAGE = "must not contain the NUL character (U+0000)";

export function withoutNul(text: string): boolean {
  return !text.includes("\u0000");
}

/** A string schema that also refuses NUL; call it last, after the length and trim rules. */
export function storableText<T extends z.ZodType<string>>(schema: T): T {
  return schema.refine(withoutNul, NUL_MESSAGE);
}

// postgres.js sends a Date as toISOString(): outside years 1 to 9999 that is "0000-…" or "+010000-…",
// which PostgreSQL refuses (22008, 22009).
export const EARLIEST_STORABLE_MS = Date.parse("0001-01-01T00:00:00.000Z");
export const LATEST_STORABLE_MS = Date.parse("9999-12-31T23:59:59.999Z");

/** A time (ms since the epoch) that a timestamptz column takes through postgres.js. */
export function isStorableTime(ms: number): boolean {
  return Number.isInteger(ms) && ms >= EARLIEST_STORABLE_MS && ms <= LATEST_STORABLE_MS;
}

/** PostgreSQL's `integer`. */
export const INT4_MAX = 2_147_483_647;
