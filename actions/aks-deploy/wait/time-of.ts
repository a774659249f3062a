// Timestamps arrive as Date from client-node's typed APIs but as RFC 3339 strings from its Watch, which
// hands over the raw JSON: read both the same way.

/** Milliseconds since the epoch, or undefined when the field is absent or unreadable. */
export function timeOf(value: Date | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : time;
}
