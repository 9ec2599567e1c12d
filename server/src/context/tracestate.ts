import { trimOws } from './traceparent.js';

// The specification's member bound: more than 32 list members make the whole tracestate invalid.
const MAX_MEMBERS = 32;
// Bounds the work done on hostile input: 32 members of 256-char keys and values fit below this.
const MAX_RAW_LENGTH = 32 * 520;

const SIMPLE_KEY = '[a-z][a-z0-9_\\-*/]{0,255}';
const MULTI_TENANT_KEY = '[a-z0-9][a-z0-9_\\-*/]{0,240}@[a-z][a-z0-9_\\-*/]{0,13}';
const KEY = new RegExp(`^(?:${SIMPLE_KEY}|${MULTI_TENANT_KEY})$`);
// value = 0*255(chr) nblk-chr; chr = %x20 / nblk-chr; nblk-chr = %x21-2B / %x2D-3C / %x3E-7E
const VALUE = /^[\x20-\x2b\x2d-\x3c\x3e-\x7e]{0,255}[\x21-\x2b\x2d-\x3c\x3e-\x7e]$/;

/**
 * Validates a W3C `tracestate` (one value, or several header values that are combined in order)
 * and returns it normalized (members joined by `,`, empty members dropped), or `undefined` when it
 * is empty or invalid. Invalid means: a member breaks the key/value grammar, a key repeats, or
 * there are more than 32 members. The caller keeps the traceparent either way.
 */
export function parseTracestate(value: unknown): string | undefined {
  let raw: string;
  if (typeof value === 'string') raw = value;
  else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) raw = value.join(',');
  else return undefined;
  if (raw.length > MAX_RAW_LENGTH) return undefined;
  const members: string[] = [];
  const keys = new Set<string>();
  for (const part of raw.split(',')) {
    const member = trimOws(part);
    if (member === '') continue;
    const eq = member.indexOf('=');
    if (eq <= 0) return undefined;
    const key = member.slice(0, eq);
    const val = member.slice(eq + 1);
    if (!KEY.test(key) || !VALUE.test(val) || keys.has(key)) return undefined;
    keys.add(key);
    members.push(member);
    if (members.length > MAX_MEMBERS) return undefined;
  }
  return members.length > 0 ? members.join(',') : undefined;
}
