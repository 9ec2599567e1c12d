// A first frame bigger than this is not a chat request; not parsing it bounds the work.
const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * Turns a WebSocket first frame (a JSON string, Buffer, ArrayBuffer, Buffer[] or an already
 * parsed object) into a plain object, or `undefined` when it is none. Never throws.
 */
export function frameObject(frame: unknown): Record<string, unknown> | undefined {
  let value = frame;
  if (Array.isArray(value) && value.every((part) => part instanceof Uint8Array)) {
    value = Buffer.concat(value as Uint8Array[]);
  }
  if (value instanceof ArrayBuffer) value = new Uint8Array(value);
  if (value instanceof Uint8Array) {
    if (value.byteLength > MAX_FRAME_BYTES) return undefined;
    value = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  }
  if (typeof value === 'string') {
    if (value.length > MAX_FRAME_BYTES) return undefined;
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return undefined;
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return value as Record<string, unknown>;
}
