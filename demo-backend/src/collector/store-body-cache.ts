/**
 * Serialized trace bodies kept between queries, least recently used first out, bounded in bytes.
 * The panel polls a trace every second until it settles; without this each poll serialized the
 * whole trace again (a 5,000-span chat trace is ~20 MiB of JSON).
 */
export interface BodyCache {
  get(key: string): Buffer | undefined;
  /** Bodies larger than the whole bound are not kept. */
  set(key: string, body: Buffer): void;
  delete(key: string): void;
  bytes(): number;
}

export function createBodyCache(maxBytes: number): BodyCache {
  const bodies = new Map<string, Buffer>();
  let total = 0;
  const remove = (key: string): void => {
    const body = bodies.get(key);
    if (body === undefined) return;
    bodies.delete(key);
    total -= body.length;
  };
  return {
    get(key) {
      const body = bodies.get(key);
      if (body !== undefined) {
        bodies.delete(key);
        bodies.set(key, body);
      }
      return body;
    },
    set(key, body) {
      remove(key);
      if (body.length > maxBytes) return;
      for (const [oldest] of bodies) {
        if (total + body.length <= maxBytes) break;
        remove(oldest);
      }
      bodies.set(key, body);
      total += body.length;
    },
    delete: remove,
    bytes: () => total,
  };
}
