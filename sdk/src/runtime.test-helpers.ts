import type { Tracer } from '@opentelemetry/api';
import type { ResolvedConfig } from './config.js';
import { createSession } from './session/session.js';
import { createStore } from './session/storage.js';
import { ChatMessage, type StartMessageOptions } from './message/message.js';
import type { Runtime } from './runtime.js';

/**
 * A Runtime for unit tests: the given config and tracer, an in-memory session that never expires,
 * no DevTools; `scheduler` defaults to one whose frames never come.
 */
export function testRuntime(config: ResolvedConfig, tracer: Tracer, scheduler: Runtime['scheduler'] = { request: () => {} }): Runtime {
  return {
    config,
    tracer,
    session: createSession({ store: createStore('memory'), inactivityMs: 1e9, maxAgeMs: 1e9 }),
    scheduler,
    devtools: { active: false, chunks: () => {} },
    openStreams: new Set(),
    finishing: new Set(),
    settlers: new Set(),
    enabled: true,
  };
}

/** A message the test starts and ends itself (not auto-started, no follow-up messages). */
export function testMessage(runtime: Runtime, options: StartMessageOptions = {}): ChatMessage {
  return new ChatMessage({ runtime, onEnded: () => {}, startMessage: () => { throw new Error('unused'); } }, options, false);
}
