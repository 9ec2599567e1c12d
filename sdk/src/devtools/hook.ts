import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { toOtlpJson } from '../export/otlp-json.js';
import type { DevtoolsHook } from './bridge.js';
import type { ChunkRecord } from '../timing/chunk-timeline.js';
import { PROTOCOL_VERSION, SDK_SOURCE, isHello } from './protocol.js';
import { safe } from '../diag.js';

/** Spans are posted in small batches; the buffer is bounded so a stuck page never grows it. */
const BATCH_DELAY_MS = 50;
const MAX_BUFFERED_SPANS = 1000;

export interface PageHookOptions {
  /** Where messages go and come from. Default `window`. */
  target?: Pick<Window, 'postMessage' | 'addEventListener' | 'removeEventListener'>;
}

/** Publishes ended spans (OTLP JSON) and per-chunk series to the page, only after a DevTools hello. */
export function createPageHook(options: PageHookOptions = {}): DevtoolsHook {
  const target = options.target ?? globalThis.window;
  let active = false;
  let buffer: ReadableSpan[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;

  const post = (type: string, payload: unknown): void => {
    safe('devtools post', () => target.postMessage({ source: SDK_SOURCE, version: PROTOCOL_VERSION, type, payload }, '*'));
  };

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const spans = buffer;
    buffer = [];
    if (spans.length === 0) return;
    // Through JSON: the same shape the collector stores (absent fields left out, not `undefined`).
    safe('devtools span conversion', () => post('spans', JSON.parse(JSON.stringify(toOtlpJson(spans))) as unknown));
  };

  const onMessage = (event: MessageEvent): void => {
    if (!active && isHello(event.data)) active = true;
  };
  target.addEventListener('message', onMessage as EventListener);
  // An SDK that starts after the content script's hello (apps often init after an async boot step)
  // announces itself once; the content script answers with a hello. Carries no data.
  post('ready', {});

  return {
    get active() {
      return active;
    },
    onSpanEnd(span) {
      if (buffer.length >= MAX_BUFFERED_SPANS) return;
      buffer.push(span);
      timer ??= setTimeout(flush, BATCH_DELAY_MS);
    },
    chunks(traceId: string, spanId: string, chunks: ChunkRecord[]) {
      post('chunks', { traceId, spanId, chunks });
    },
    flush,
    stop() {
      target.removeEventListener('message', onMessage as EventListener);
      flush();
      active = false;
    },
  };
}
