import { diag } from '@opentelemetry/api';

/** Namespaced diag logger: every SDK failure is reported here, never thrown into the page. */
export const log = diag.createComponentLogger({ namespace: 'streamtrace' });

/** Runs `fn`, reporting (not throwing) anything it throws; returns `fallback` on failure. */
export function safe<T>(what: string, fn: () => T): T | undefined;
export function safe<T>(what: string, fn: () => T, fallback: T): T;
export function safe<T>(what: string, fn: () => T, fallback?: T): T | undefined {
  try {
    return fn();
  } catch (error) {
    log.warn(`${what} failed`, error);
    return fallback;
  }
}

/** Wraps an SDK event listener so that a failure inside it is reported, never thrown into the page. */
export function guard<A extends unknown[]>(what: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args: A) => void safe(what, () => fn(...args));
}
