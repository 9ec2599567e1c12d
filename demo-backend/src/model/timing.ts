export interface ModelTiming {
  ttftMs: number;
  tokenDelayMs: number;
  jitterMs: number;
}

/**
 * Delay before each token: the first waits `ttftMs`, later ones `tokenDelayMs`, each plus
 * jitter in [0, jitterMs) from a PRNG seeded by the request, so a given prompt replays the
 * same rhythm.
 */
export function createDelays(timing: ModelTiming, seedText: string): (index: number) => number {
  const random = mulberry32(hash(seedText));
  return (index) => {
    const base = index === 0 ? timing.ttftMs : timing.tokenDelayMs;
    return Math.max(0, Math.round(base + random() * timing.jitterMs));
  };
}

/** Resolves after `ms`, or early (without rejecting) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function mulberry32(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
