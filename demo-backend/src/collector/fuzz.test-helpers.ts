// Deterministic fuzzing helpers shared by the ingest fuzz tests.

/** Small deterministic PRNG so a failing case can be replayed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIRD_VALUES: unknown[] = [null, true, false, 0, -1, 1.5, 1e308, '', 'x', '💥', [], [null], {}, { a: 1 }, 'f'.repeat(32), '0'.repeat(32), -0, 2 ** 64];

/** Replaces one random node of a JSON value with a value of a random other type. */
export function mutate(value: unknown, random: () => number, depth = 0): unknown {
  const pick = (): unknown => WEIRD_VALUES[Math.floor(random() * WEIRD_VALUES.length)];
  if (depth > 0 && random() < 0.25) return pick();
  if (Array.isArray(value)) {
    if (value.length === 0) return random() < 0.5 ? [pick()] : pick();
    const copy = [...value];
    const i = Math.floor(random() * copy.length);
    copy[i] = mutate(copy[i], random, depth + 1);
    return copy;
  }
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    const keys = Object.keys(copy);
    const key = keys[Math.floor(random() * keys.length)];
    if (key === undefined) return pick();
    copy[key] = mutate(copy[key], random, depth + 1);
    return copy;
  }
  return pick();
}

