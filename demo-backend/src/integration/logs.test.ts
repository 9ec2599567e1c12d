// Needs the built dist (`npm run build` does it): starts the real stack on free ports.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack } from '../stack/start-stack.js';
import type { Stack } from '../stack/start-stack.js';
import { newTraceparent, readSseEvents } from './chat-client.test-helpers.js';

let stack: Stack;
/** Every stdout/stderr line the services printed (stdout is where pino writes). */
const printed: string[] = [];

beforeAll(async () => {
  stack = await startStack({
    env: { MODEL_TTFT_MS: '40', MODEL_TOKEN_DELAY_MS: '3', MODEL_JITTER_MS: '2' },
    log: (line) => printed.push(line),
  });
}, 40_000);
afterAll(async () => {
  await stack?.stop();
});

interface KeyValue {
  key: string;
  value: { stringValue?: string; intValue?: string };
}
interface LogRow {
  service: string;
  body: string;
  severityText?: string;
  traceId?: string;
  spanId?: string;
  attributes: Record<string, string | undefined>;
}
interface LogsAnswer {
  resourceLogs: {
    resource: { attributes: KeyValue[] };
    scopeLogs: { logRecords: { body?: { stringValue?: string }; severityText?: string; traceId?: string; spanId?: string; attributes?: KeyValue[] }[] }[];
  }[];
}

async function fetchLogs(collector: string, traceId: string): Promise<LogRow[]> {
  const response = await fetch(`${collector}/api/logs/${traceId}`);
  expect(response.status).toBe(200);
  const answer = (await response.json()) as LogsAnswer;
  return answer.resourceLogs.flatMap((rl) => {
    const service = rl.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
    return rl.scopeLogs.flatMap((sl) =>
      sl.logRecords.map((r) => ({
        service,
        body: r.body?.stringValue ?? '',
        ...(r.severityText ? { severityText: r.severityText } : {}),
        ...(r.traceId ? { traceId: r.traceId } : {}),
        ...(r.spanId ? { spanId: r.spanId } : {}),
        attributes: Object.fromEntries((r.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? a.value.intValue])),
      })),
    );
  });
}

/** Polls until `ready` holds (services export logs in batches), or fails with what it saw. */
async function waitForLogs(collector: string, traceId: string, ready: (rows: LogRow[]) => boolean): Promise<LogRow[]> {
  const deadline = Date.now() + 20_000;
  let rows: LogRow[] = [];
  while (Date.now() < deadline) {
    rows = await fetchLogs(collector, traceId);
    if (ready(rows)) return rows;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`logs of ${traceId} incomplete; saw:\n${rows.map((r) => `${r.service} ${r.body}`).join('\n')}`);
}

const EXPECTED = [
  'chat-gateway chat message received',
  'chat-gateway retrieval done',
  'chat-gateway chat message complete',
  'vector-store vector search done',
  'model-service chat completion started',
  'model-service chat completion stream ended',
];

describe('service logs joined to the trace', () => {
  it('every service logs the message with trace, span, session and message ids, on stdout and as OTLP', async () => {
    const { traceId, traceparent } = newTraceparent();
    const response = await fetch(`${stack.urls.gateway}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent, 'x-session-id': 'sess-logs', 'x-message-id': 'msg-logs' },
      body: JSON.stringify({ message: 'Why do streams stall?' }),
    });
    expect((await readSseEvents(response)).at(-1)?.type).toBe('done');

    const rows = await waitForLogs(stack.urls.collector, traceId, (r) => EXPECTED.every((e) => r.some((row) => `${row.service} ${row.body}` === e)));
    for (const expected of EXPECTED) {
      const row = rows.find((r) => `${r.service} ${r.body}` === expected)!;
      expect(row).toMatchObject({ traceId, severityText: 'INFO' });
      expect(row.spanId).toMatch(/^[0-9a-f]{16}$/);
      expect([expected, row.attributes['session.id'], row.attributes['streamtrace.message.id']]).toEqual([expected, 'sess-logs', 'msg-logs']);
      // trace_id/span_id are the record's own fields, not repeated as attributes.
      expect(row.attributes['trace_id']).toBeUndefined();
    }
    expect(rows.find((r) => r.body === 'vector search done')!.attributes['collection']).toBe('streamtrace-docs');

    // The same lines went to stdout as pino JSON with the same ids.
    const stdout = printed
      .map((line) => /^\[([^\]]+)\] (\{.*\})$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({ service: m[1]!, fields: JSON.parse(m[2]!) as Record<string, unknown> }))
      .filter((l) => l.fields['trace_id'] === traceId);
    expect(new Set(stdout.map((l) => l.service))).toEqual(new Set(['chat-gateway', 'vector-store', 'model-service']));
    for (const line of stdout) {
      expect(line.fields).toMatchObject({ 'session.id': 'sess-logs', 'streamtrace.message.id': 'msg-logs' });
      expect(line.fields['span_id']).toMatch(/^[0-9a-f]{16}$/);
    }
  });

  it('a failing message logs a WARN record with the error type in the same trace', async () => {
    const { traceId, traceparent } = newTraceparent();
    const response = await fetch(`${stack.urls.gateway}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent, 'x-session-id': 'sess-logs', 'x-message-id': 'msg-fail' },
      body: JSON.stringify({ message: 'hello', fault: 'model-error' }),
    });
    expect((await readSseEvents(response)).at(-1)?.type).toBe('error');
    const rows = await waitForLogs(stack.urls.collector, traceId, (r) =>
      r.some((row) => row.body === 'chat message failed') && r.some((row) => row.service === 'model-service' && row.severityText === 'WARN'),
    );
    expect(rows.find((r) => r.body === 'chat message failed')).toMatchObject({
      service: 'chat-gateway',
      severityText: 'WARN',
      attributes: { 'error.type': 'model_error', 'streamtrace.message.id': 'msg-fail' },
    });
  });
});
