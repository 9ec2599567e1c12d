import { describe, expect, it } from 'vitest';
import { createBodyCache } from './store-body-cache.js';

const bytes = (n: number, fill = 'x') => Buffer.from(fill.repeat(n));

describe('serialized trace body cache', () => {
  it('drops the least recently used bodies to stay within its byte bound', () => {
    const cache = createBodyCache(100);
    cache.set('a', bytes(40));
    cache.set('b', bytes(40));
    expect(cache.get('a')?.length).toBe(40); // a is now the most recently used
    cache.set('c', bytes(40));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.length).toBe(40);
    expect(cache.get('c')?.length).toBe(40);
    expect(cache.bytes()).toBe(80);
  });

  it('does not keep a body larger than the whole bound, and replaces a key in place', () => {
    const cache = createBodyCache(100);
    cache.set('a', bytes(30));
    cache.set('huge', bytes(101));
    expect(cache.get('huge')).toBeUndefined();
    cache.set('a', bytes(50, 'y'));
    expect(cache.get('a')?.toString()).toBe('y'.repeat(50));
    expect(cache.bytes()).toBe(50);
    cache.delete('a');
    expect(cache.bytes()).toBe(0);
  });
});
