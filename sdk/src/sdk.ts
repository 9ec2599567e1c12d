import { trackShadowRoots } from './timing/shadow-roots.js';
import type { Link } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resolveConfig, type StreamtraceOptions } from './config.js';
import { createStore } from './session/storage.js';
import { createSession } from './session/session.js';
import { createProvider } from './export/provider.js';
import type { ExportStats } from './export/export-queue.js';
import { DevtoolsBridgeProcessor, bridgeSink } from './devtools/bridge.js';
import { createFrameScheduler } from './timing/frame-scheduler.js';
import { createPresentationOffset } from './timing/presentation-offset.js';
import { createPresentationWatch } from './timing/presentation-watch.js';
import { ChatMessage, type Message, type StartMessageOptions } from './message/message.js';
import { createMessageRegistry } from './message/registry.js';
import { StreamRecorder, type Transport } from './streams/stream-recorder.js';
import type { InstrumentContext } from './streams/instrument-context.js';
import { instrumentFetch } from './streams/fetch.js';
import { instrumentEventSource } from './streams/event-source.js';
import { instrumentWebSocket } from './streams/websocket.js';
import { instrumentXhr } from './streams/xhr.js';
import { startWebVitals } from './vitals/web-vitals.js';
import { observeLongFrames } from './vitals/long-frames.js';
import { INTERNAL, type Internal } from './internal.js';
import type { Runtime } from './runtime.js';
import { log, safe } from './diag.js';
import { SDK_VERSION } from './version.js';
import { SessionSampler, isSessionSampled } from './sampling/session-sampler.js';
import { UnsampledBuffer } from './sampling/unsampled-buffer.js';
import { sampledOnly } from './sampling/sampled-only.js';
import type { SamplingState } from './sampling/state.js';
import { watchPageErrors } from './errors/page-errors.js';

export interface Streamtrace {
  readonly session: { readonly id: string };
  /** Starts a `chat.message` span: the root of a new trace. Streams opened until it ends join it. */
  startMessage(options?: StartMessageOptions): Message;
  /** The message streams currently join, if any. */
  currentMessage(): Message | undefined;
  /** Waits for streams finishing their last paints, then exports everything buffered. */
  flush(): Promise<void>;
  /** Export counters: `{ spansExported, spansDropped, spansPending, exportFailures, exportRetries }` (a copy). */
  stats(): ExportStats;
  /** The sampling rate in force (configured or from the `samplingRule`), this session's decision and the unsampled buffer's counters. */
  sampling(): SamplingState;
  /** Flushes, removes every wrapper and stops recording. */
  shutdown(): Promise<void>;
  readonly version: string;
  readonly [INTERNAL]: Internal;
}

/**
 * Only one SDK may wrap the page's globals at a time. The slot is on the global, not in this module:
 * a second copy (the script tag twice, or the tag beside a bundled `@streamtrace/web`) must find the
 * running instance instead of wrapping fetch/EventSource/WebSocket a second time.
 */
const INSTALLED = Symbol.for('@streamtrace/web instance');
const slot = globalThis as { [INSTALLED]?: Streamtrace };

export function init(options?: StreamtraceOptions): Streamtrace {
  const running = slot[INSTALLED];
  if (running !== undefined) {
    log.warn('init() called twice: returning the running instance');
    return running;
  }
  const config = resolveConfig(options);
  const session = createSession({
    store: createStore(config.storage),
    inactivityMs: config.sessionInactivityMs,
    maxAgeMs: config.sessionMaxAgeMs,
  });
  const devtools = new DevtoolsBridgeProcessor();
  // Captured before instrumentation: rule requests are never traced.
  const nativeFetch = typeof fetch === 'function' ? fetch.bind(globalThis) : undefined;
  const rule = config.samplingRule && nativeFetch && safe('sampling rule', () => config.samplingRule!(nativeFetch));
  const sampleRate = (): number => rule?.current()?.sampleRate ?? config.sampleRate;
  let exportKept: (spans: ReadableSpan[]) => void = () => undefined;
  const unsampled = new UnsampledBuffer({ keepSlowMs: config.keepSlowMs, sink: (spans) => exportKept(spans) });
  const { provider, queue } = createProvider(
    config,
    session,
    config.keepUnsampled ? [unsampled, sampledOnly(devtools)] : [devtools],
    new SessionSampler(() => session.peek(), sampleRate, config.keepUnsampled),
  );
  exportKept = (spans) => {
    queue.export(spans);
    for (const span of spans) safe('devtools', () => devtools.onEnd(span));
  };
  const tracer = provider.getTracer('@streamtrace/web', SDK_VERSION);
  const presentationOffset = createPresentationOffset();
  const presentation = createPresentationWatch(presentationOffset);
  const scheduler = createFrameScheduler(presentationOffset, () => presentation.frameStarted());
  const runtime: Runtime = {
    config,
    tracer,
    session,
    scheduler,
    devtools: bridgeSink(devtools),
    openStreams: new Set(),
    finishing: new Set(),
    settlers: new Set(),
    enabled: true,
  };
  const registry = createMessageRegistry();
  // Auto messages are not in the registry; page errors attach to them too.
  const openAuto: ChatMessage[] = [];

  const startMessage = (messageOptions: StartMessageOptions, links?: Link[], auto = false): ChatMessage => {
    const message = new ChatMessage(
      {
        runtime,
        presentationWatch: presentation,
        onEnded: (m) => {
          registry.remove(m);
          const i = openAuto.indexOf(m);
          if (i >= 0) openAuto.splice(i, 1);
        },
        startMessage: (o, l) => startMessage(o, l),
      },
      messageOptions,
      auto,
      links,
    );
    registry.add(message);
    if (auto) {
      openAuto.push(message);
      if (openAuto.length > 50) openAuto.shift();
    }
    return message;
  };

  const instrumentContext: InstrumentContext = {
    config,
    enabled: () => runtime.enabled,
    messageFor(propagate) {
      return registry.current() ?? (propagate ? startMessage({}, undefined, true) : undefined);
    },
    openStream(message, transport: Transport, url, method) {
      return new StreamRecorder(runtime, message, transport, url, method);
    },
  };

  const uninstall: (() => void)[] = [];
  const install = (what: string, fn: () => () => void): void => {
    const undo = safe(`instrument ${what}`, fn);
    if (undo) uninstall.push(undo);
  };
  if (config.instrument.fetch) install('fetch', () => instrumentFetch(instrumentContext));
  if (config.instrument.eventSource) install('EventSource', () => instrumentEventSource(instrumentContext));
  if (config.instrument.webSocket) install('WebSocket', () => instrumentWebSocket(instrumentContext));
  if (config.instrument.xhr) install('XMLHttpRequest', () => instrumentXhr(instrumentContext));
  install('shadow roots', trackShadowRoots);
  install('paint timing', () => presentation.start());
  if (config.captureErrors && typeof window !== 'undefined') {
    install('page errors', () => watchPageErrors(window, () => (registry.current() ?? openAuto[openAuto.length - 1])?.span));
  }
  if (config.pageHealth) {
    install('long frames', () => observeLongFrames(runtime.openStreams));
    safe('web-vitals', () => startWebVitals(tracer, () => runtime.enabled));
  }

  // Spans waiting for their last paints end now; the browser BatchSpanProcessor flushes on
  // visibilitychange→hidden and we flush again once those spans are in its queue.
  const settleAndFlush = (): void => {
    for (const settle of Array.from(runtime.settlers)) safe('settle', settle);
    for (const settle of Array.from(runtime.settlers)) safe('settle', settle);
    provider.forceFlush().then(
      () => queue.sendNow(),
      (error: unknown) => log.debug('flush on page hide failed', error),
    );
    // The BatchSpanProcessor hands spans over synchronously: send them while the page is still here.
    queue.sendNow();
  };
  const onOnline = (): void => queue.sendNow();
  const onVisibility = (): void => {
    if (document.visibilityState === 'hidden') settleAndFlush();
    else rule?.visible();
  };
  // Leaving the page: what is still streaming ends as cancelled, so its spans are not lost.
  const onPageHide = (): void => {
    safe('pagehide', () => {
      for (const stream of Array.from(runtime.openStreams)) (stream as StreamRecorder).end('cancel', 'pagehide');
      for (const message of registry.all()) message.cancel('pagehide');
    });
    settleAndFlush();
  };
  if (typeof window !== 'undefined') {
    window.addEventListener('pagehide', onPageHide);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('online', onOnline);
  }
  rule?.start();

  const flush = async (): Promise<void> => {
    try {
      while (runtime.finishing.size > 0) await Promise.all(Array.from(runtime.finishing));
      await provider.forceFlush();
      await queue.forceFlush();
    } catch (error) {
      log.warn('flush failed', error);
    }
  };

  const sdk: Streamtrace = {
    session: {
      get id() {
        return session.peek();
      },
    },
    version: SDK_VERSION,
    startMessage(messageOptions = {}) {
      return safe('startMessage', () => startMessage(messageOptions)) ?? startMessage({});
    },
    currentMessage() {
      return registry.current();
    },
    flush,
    stats() {
      return { ...queue.stats };
    },
    sampling() {
      const current = rule?.current();
      const rate = current?.sampleRate ?? config.sampleRate;
      return {
        sampleRate: rate,
        source: current ? 'rule' : 'config',
        reason: current?.reason,
        expiresAt: current && new Date(current.expiresAt).toISOString(),
        sessionSampled: isSessionSampled(session.peek(), rate),
        unsampled: { ...unsampled.stats },
      };
    },
    async shutdown() {
      await flush();
      runtime.enabled = false;
      rule?.stop();
      for (const undo of uninstall.splice(0)) safe('uninstall', undo);
      if (typeof window !== 'undefined') {
        window.removeEventListener('pagehide', onPageHide);
        document.removeEventListener('visibilitychange', onVisibility);
        window.removeEventListener('online', onOnline);
      }
      try {
        await provider.shutdown();
      } catch (error) {
        log.warn('shutdown failed', error);
      }
      if (slot[INSTALLED] === sdk) delete slot[INSTALLED];
    },
    [INTERNAL]: { devtools },
  };
  slot[INSTALLED] = sdk;
  return sdk;
}
