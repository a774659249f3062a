// pod-template-hash: controller.ComputeHash is fnv32a over the printed template (plus collisionCount as
// 8 little-endian bytes), its decimal value then mapped by rand.SafeEncodeString. Go's printer cannot be
// reproduced, so the template is printed as canonical JSON (keys sorted): same shape, different digits.

/** The alphabet of rand.SafeEncodeString and rand.String: no vowels, no look-alikes. */
export const safeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

export function fnv32a(bytes: Uint8Array, seed = 0x811c9dc5): number {
  let hash = seed;
  for (const byte of bytes) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function safeEncodeString(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) out += safeAlphabet[text.charCodeAt(i) % safeAlphabet.length];
  return out;
}

export function computeHash(template: unknown, collisionCount: number | undefined): string {
  let hash = fnv32a(new TextEncoder().encode(canonical(template)));
  if (collisionCount !== undefined) {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    hash = fnv32a(bytes, hash);
  }
  return safeEncodeString(String(hash));
}
