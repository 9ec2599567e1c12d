import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Vitest does not start workers with --expose-gc; the flag still takes effect for a new context.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** `process.memoryUsage().heapUsed` after full collections (MiB). */
export function heapAfterGcMiB(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed / (1024 * 1024);
}
