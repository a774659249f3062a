/**
 * mulberry32: a tiny seeded generator, so the same seed always yields the same postings and queries
 * (Math.random cannot be seeded).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, choices: readonly T[]): T {
  if (choices.length === 0) throw new Error("pick needs at least one choice");
  return choices[Math.floor(random() * choices.length)] as T;
}

/** Up to `count` distinct choices, in the order drawn. */
export function pickDistinct<T>(random: () => number, choices: readonly T[], count: number): T[] {
  const chosen = new Set<T>();
  while (chosen.size < Math.min(count, choices.length)) chosen.add(pick(random, choices));
  return [...chosen];
}
