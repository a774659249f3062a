import { isStorableTime } from "../db/storable.ts";

/** Position after the last row of a page, in the (posted_at desc, id desc) order. */
export interface JobCursor {
  postedAt: Date;
  id: number;
}

export function encodeCursor(cursor: JobCursor): string {
  return Buffer.from(`${cursor.postedAt.getTime()}.${cursor.id}`).toString("base64url");
}

/** The cursor, or undefined when the text is not one this API issued. */
export function decodeCursor(text: string): JobCursor | undefined {
  const match = /^(-?\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(text, "base64url").toString());
  if (!match) return undefined;
  const time = Number(match[1]);
  // A forged time PostgreSQL cannot compare with is not a position this API could have issued.
  if (!isStorableTime(time)) return undefined;
  return { postedAt: new Date(time), id: Number(match[2]) };
}
