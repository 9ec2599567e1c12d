import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { pino } from 'pino';
import type { DestinationStream } from 'pino';
import { pinoMixin } from '@streamtrace/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOtlpTee } from './logger-otlp-stream.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';
const manager = new AsyncLocalStorageContextManager();

beforeAll(() => void context.setGlobalContextManager(manager.enable()));
afterAll(() => {
  manager.disable();
  context.disable();
});

function setup(maxLineChars?: number) {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
  const lines: string[] = [];
  const tee = createOtlpTee({ write: (line: string) => lines.push(line) }, {
    logger: provider.getLogger('test'),
    ...(maxLineChars ? { maxLineChars } : {}),
  });
  const logger = pino({ base: { service: 'svc' }, mixin: pinoMixin, level: 'trace' }, tee as DestinationStream);
  return { exporter, lines, logger };
}

function requestContext() {
  const withSpan = trace.setSpanContext(context.active(), { traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 1 });
  const baggage = propagation.createBaggage({ 'session.id': { value: 's-1' }, 'streamtrace.message.id': { value: 'm-7' } });
  return propagation.setBaggage(withSpan, baggage);
}

describe('createOtlpTee', () => {
  it('writes the pino line unchanged and emits it as a log record of the active trace', () => {
    const { exporter, lines, logger } = setup();
    context.with(requestContext(), () => logger.warn({ passages: ['a', 'b'], 'error.type': 'timeout' }, 'retrieval slow'));

    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 40,
      msg: 'retrieval slow',
      trace_id: TRACE_ID,
      span_id: SPAN_ID,
      'session.id': 's-1',
      'streamtrace.message.id': 'm-7',
    });
    const [record] = exporter.getFinishedLogRecords();
    expect(record!.spanContext).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID });
    expect(record!.severityNumber).toBe(SeverityNumber.WARN);
    expect(record!.severityText).toBe('WARN');
    expect(record!.body).toBe('retrieval slow');
    expect(record!.attributes).toEqual({
      service: 'svc',
      'session.id': 's-1',
      'streamtrace.message.id': 'm-7',
      passages: ['a', 'b'],
      'error.type': 'timeout',
    });
    expect(record!.hrTime[0]).toBe(Math.floor(JSON.parse(lines[0]!).time / 1000));
  });

  it('maps every pino level and leaves lines outside a trace without a span context', () => {
    const { exporter, logger } = setup();
    logger.trace('t');
    logger.debug('d');
    logger.info('i');
    logger.error({ err: new Error('boom') }, 'e');
    logger.fatal('f');
    const records = exporter.getFinishedLogRecords();
    expect(records.map((r) => [r.body, r.severityNumber])).toEqual([
      ['t', SeverityNumber.TRACE],
      ['d', SeverityNumber.DEBUG],
      ['i', SeverityNumber.INFO],
      ['e', SeverityNumber.ERROR],
      ['f', SeverityNumber.FATAL],
    ]);
    expect(records[0]!.spanContext).toBeUndefined();
    expect(records[3]!.attributes['err']).toMatchObject({ type: 'Error', message: 'boom' });
  });

  it('takes ids from the line when it is written outside the context it was made in', () => {
    const exporter = new InMemoryLogRecordExporter();
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const tee = createOtlpTee({ write: () => true }, { logger: provider.getLogger('t') });
    tee.write(JSON.stringify({ level: 30, time: Date.now(), msg: 'late', trace_id: TRACE_ID, span_id: SPAN_ID, trace_flags: '00' }) + '\n');
    const [record] = exporter.getFinishedLogRecords();
    expect(record!.spanContext).toMatchObject({ traceId: TRACE_ID, spanId: SPAN_ID, traceFlags: 0 });
    expect(record!.attributes).toEqual({});
  });

  it('never throws on lines that are not JSON and skips oversized ones', () => {
    const exporter = new InMemoryLogRecordExporter();
    const lines: string[] = [];
    const provider = new LoggerProvider({ processors: [new SimpleLogRecordProcessor({ exporter })] });
    const tee = createOtlpTee({ write: (line: string) => lines.push(line) }, { logger: provider.getLogger('t'), maxLineChars: 100 });
    expect(() => tee.write('not json\n')).not.toThrow();
    tee.write(JSON.stringify({ level: 30, msg: 'x'.repeat(200) }) + '\n');
    tee.write(JSON.stringify({ level: 30, msg: 'small' }) + '\n');
    expect(lines).toHaveLength(3);
    expect(exporter.getFinishedLogRecords().map((r) => r.body)).toEqual(['small']);
  });
});
