import { Writable } from 'node:stream';
import { context, trace } from '@opentelemetry/api';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { extractRequestContext } from '../context/extract.js';
import { startStreamSpan } from '../stream/stream-span.js';
import { BROWSER_TRACEPARENT, BROWSER_TRACE_ID, registerTestTracing } from '../testing/otel.test-helpers.js';
import { pinoMixin } from './pino-mixin.js';

registerTestTracing();

function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ mixin: pinoMixin }, sink), lines };
}

describe('pinoMixin', () => {
  it('puts trace and request ids on log lines written inside a stream', () => {
    const { logger, lines } = capturedLogger();
    const req = extractRequestContext({ headers: {}, url: `/s?traceparent=${BROWSER_TRACEPARENT}&session_id=s-9&message_id=m-9` });
    const stream = startStreamSpan({ transport: 'sse', parent: req.context });
    context.with(stream.context, () => logger.info('delta sent'));
    stream.complete();
    logger.info('outside');
    expect(lines[0]).toMatchObject({
      msg: 'delta sent',
      trace_id: BROWSER_TRACE_ID,
      span_id: stream.span.spanContext().spanId,
      trace_flags: '01',
      'session.id': 's-9',
      'streamtrace.message.id': 'm-9',
    });
    expect(lines[1]).not.toHaveProperty('trace_id');
    expect(lines[1]).not.toHaveProperty('session.id');
  });

  it('is an empty object without an active span or baggage', () => {
    expect(pinoMixin()).toEqual({});
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
