// A small seeded random number generator (mulberry32) for randomized tests: the same seed gives the
// same inputs, so a failure found by a random test can be replayed.

/** Returns a function giving numbers in [0, 1), determined by `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
