import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { DevtoolsSink } from '../runtime.js';
import type { ChunkRecord } from '../timing/chunk-timeline.js';

/** What `enableDevtools` plugs into an SDK instance. */
export interface DevtoolsHook extends DevtoolsSink {
  onSpanEnd(span: ReadableSpan): void;
  /** Posts buffered spans now. */
  flush(): void;
  stop(): void;
}

/** Idle until a devtools hook is attached: the SDK always has this processor, at no cost. */
export class DevtoolsBridgeProcessor implements SpanProcessor {
  hook: DevtoolsHook | undefined;

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.hook?.active) this.hook.onSpanEnd(span);
  }

  forceFlush(): Promise<void> {
    this.hook?.flush();
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    this.hook?.stop();
    return Promise.resolve();
  }
}

/** The sink the stream recorders see: forwards to the hook when one is attached and active. */
export function bridgeSink(processor: DevtoolsBridgeProcessor): DevtoolsSink {
  return {
    get active() {
      return processor.hook?.active === true;
    },
    chunks(traceId: string, spanId: string, chunks: ChunkRecord[]) {
      if (processor.hook?.active) processor.hook.chunks(traceId, spanId, chunks);
    },
  };
}
