import { once } from 'node:events';
import type * as Http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROWSER_SPAN_ID, BROWSER_TRACEPARENT, BROWSER_TRACE_ID, registerTestTracing, waitFor } from '../testing/otel.test-helpers.js';
import { extractRequestContext } from './extract.js';
import { joinQueryContext } from './join-query.js';

const tracing = registerTestTracing();
const instrumentation = new HttpInstrumentation();
instrumentation.setTracerProvider(tracing.provider);
instrumentation.enable();
// instrumentation-http patches through require hooks: load `http` after enabling it.
const http = createRequire(import.meta.url)('node:http') as typeof Http;

interface Seen {
  source?: string;
  traceId?: string;
  sessionId?: string;
}

async function serve(join: boolean): Promise<{ url: string; seen: Seen[]; server: Http.Server }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const active = context.active();
    seen.push({
      source: extractRequestContext(req).source,
      traceId: trace.getSpanContext(active)?.traceId,
      sessionId: propagation.getBaggage(active)?.getEntry('session.id')?.value,
    });
    res.end('ok');
  });
  if (join) {
    joinQueryContext(server);
    joinQueryContext(server);
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, server };
}

describe('joinQueryContext with real @opentelemetry/instrumentation-http', () => {
  let joined: Awaited<ReturnType<typeof serve>>;
  let plain: Awaited<ReturnType<typeof serve>>;
  beforeAll(async () => {
    expect((http.Server.prototype.emit as { __wrapped?: boolean }).__wrapped).toBe(true);
    joined = await serve(true);
    plain = await serve(false);
  });
  afterAll(() => {
    joined.server.close();
    plain.server.close();
    instrumentation.disable();
  });

  const query = `traceparent=${BROWSER_TRACEPARENT}&tracestate=vendor%3Dx&session_id=s-42&message_id=m-7`;

  it('makes the SERVER span a child of the query traceparent, with the ids', async () => {
    tracing.exporter.reset();
    await (await fetch(`${joined.url}/api/chat/stream?${query}`)).text();
    const span = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
    expect(span.spanContext().traceId).toBe(BROWSER_TRACE_ID);
    expect(span.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
    expect(span.parentSpanContext?.traceState?.get('vendor')).toBe('x');
    expect(span.attributes['session.id']).toBe('s-42');
    expect(span.attributes['streamtrace.message.id']).toBe('m-7');
    expect(joined.seen.at(-1)).toEqual({ source: 'query', traceId: BROWSER_TRACE_ID, sessionId: 's-42' });
  });

  it('leaves a valid traceparent header alone', async () => {
    tracing.exporter.reset();
    const header = '00-11111111111111111111111111111111-2222222222222222-01';
    await (await fetch(`${joined.url}/s?${query}`, { headers: { traceparent: header } })).text();
    const span = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
    expect(span.parentSpanContext?.spanId).toBe('2222222222222222');
    expect(joined.seen.at(-1)?.source).toBe('header');
  });

  it('without it the SERVER span starts a new trace (the reason it exists)', async () => {
    tracing.exporter.reset();
    await (await fetch(`${plain.url}/api/chat/stream?${query}`)).text();
    const span = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
    expect(span.spanContext().traceId).not.toBe(BROWSER_TRACE_ID);
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('ignores an invalid query traceparent', async () => {
    tracing.exporter.reset();
    await (await fetch(`${joined.url}/s?traceparent=00-${BROWSER_TRACE_ID.toUpperCase()}-${BROWSER_SPAN_ID}-01`)).text();
    const span = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('header context the strict rules reject does not reach the SERVER span either', async () => {
    // instrumentation-http alone joins an oversized future-version traceparent and keeps 32 of 33 members.
    const oversized = `01-${BROWSER_TRACE_ID}-${BROWSER_SPAN_ID}-01-${'a'.repeat(600)}`;
    for (const server of [plain, joined]) {
      tracing.exporter.reset();
      await (await fetch(`${server.url}/s`, { headers: { traceparent: oversized } })).text();
      const span = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
      expect(span.spanContext().traceId === BROWSER_TRACE_ID).toBe(server === plain);
      expect(server.seen.at(-1)?.source).toBe('none');
    }
    const members = Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',');
    for (const server of [plain, joined]) {
      tracing.exporter.reset();
      await (await fetch(`${server.url}/s`, { headers: { traceparent: BROWSER_TRACEPARENT, tracestate: members } })).text();
      const span = await waitFor(() => tracing.spans().find((s) => s.kind === SpanKind.SERVER));
      expect(span.parentSpanContext?.spanId).toBe(BROWSER_SPAN_ID);
      expect(span.parentSpanContext?.traceState?.serialize() ?? '').toBe(server === plain ? members.split(',').slice(0, 32).join(',') : '');
    }
  });
});
