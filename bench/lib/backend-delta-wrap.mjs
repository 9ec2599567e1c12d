// `@streamtrace/node` with the `deltaEvents` option set from BENCH_DELTA_EVENTS (see backend-delta-hook.mjs).
import { startStreamSpan as realStartStreamSpan } from '@streamtrace/node';

export {
  extractRequestContext,
  joinQueryContext,
  parseTraceparent,
  parseTracestate,
  sanitizeId,
  ALLOW_HEADERS,
  EXPOSE_HEADERS,
  streamResponseHeaders,
  pinoMixin,
  setRequestIds,
  RequestIdsSpanProcessor,
  MESSAGE_ID,
  SESSION_ID,
  traceHttpServer,
  startSseStream,
  traceWebSocket,
} from '@streamtrace/node';

/** `all`: an event for every delta (up to the package's hard cap); `none`: no delta events. */
export const DELTA_EVENT_MODES = {
  all: { keepFirst: 0, sampleEvery: 1, max: 10_000 },
  none: { max: 0 },
};

const chosen = DELTA_EVENT_MODES[process.env.BENCH_DELTA_EVENTS ?? ''];
if (process.env.BENCH_DELTA_EVENTS && !chosen) throw new Error(`BENCH_DELTA_EVENTS must be ${Object.keys(DELTA_EVENT_MODES).join(' or ')}`);

export function startStreamSpan(options) {
  return realStartStreamSpan(chosen && options.deltaEvents === undefined ? { ...options, deltaEvents: chosen } : options);
}
