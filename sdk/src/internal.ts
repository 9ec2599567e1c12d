import type { DevtoolsBridgeProcessor } from './devtools/bridge.js';

/** Key of the SDK's internals on the public object (used by `@streamtrace/web/devtools`). */
export const INTERNAL: unique symbol = Symbol.for('streamtrace.internal');

export interface Internal {
  devtools: DevtoolsBridgeProcessor;
}
