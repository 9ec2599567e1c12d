import type { SpanTracer } from './export/tracer.js';
import type { ResolvedConfig } from './config.js';
import type { Session } from './session/session.js';
import type { PaintWaiter } from './timing/frame-scheduler.js';
import type { ChunkRecord } from './timing/chunk-timeline.js';

/** What a stream tells the rest of the SDK about itself while open (page-health attribution). */
export interface OpenStream {
  readonly openedAt: number;
  longFrame(durationMs: number): void;
}

/** Listens for DevTools; nothing is kept or posted until a hello was seen. */
export interface DevtoolsSink {
  readonly active: boolean;
  chunks(traceId: string, spanId: string, chunks: ChunkRecord[]): void;
}

/** Shared state of one `init()`; passed explicitly so modules stay free of globals. */
export interface Runtime {
  readonly config: ResolvedConfig;
  readonly tracer: SpanTracer;
  readonly session: Session;
  readonly scheduler: { request(waiter: PaintWaiter): void };
  devtools: DevtoolsSink;
  readonly openStreams: Set<OpenStream>;
  /** Spans waiting for their last paints before ending; `flush()` awaits them. */
  readonly finishing: Set<Promise<void>>;
  /** Ends spans that wait for paints right away (the page is going away). */
  readonly settlers: Set<() => void>;
  enabled: boolean;
}

export function track(runtime: Runtime, promise: Promise<void>): void {
  runtime.finishing.add(promise);
  void promise.finally(() => runtime.finishing.delete(promise));
}
