// Container logs without a TTY come multiplexed: frames of an 8-byte header (stream type, 3 zero bytes,
// big-endian payload length) followed by the payload. This joins the payloads back in order.
export function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= raw.length) {
    const length = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  return Buffer.concat(parts).toString("utf8");
}
