// Hostile context reaching @streamtrace/node in the real demo gateway: malformed, repeated and
// oversized traceparent / tracestate / baggage / x-session-id / x-message-id headers and query
// parameters, and odd WebSocket first frames (sent from Chromium, as a page would). The gateway
// must answer every one, start a new trace for anything the W3C rules reject, join valid context,
// and record only sanitized, bounded ids.
import { expect, test } from './fixtures/stack.js';
import { findSpan, waitForTrace } from './fixtures/traces.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const VALID = `00-${TRACE}-${SPAN}-01`;
const TRACE3 = '5bf92f3577b34da6a3ce929d0e0e4736';
const VALID3 = `00-${TRACE3}-${SPAN}-01`;

interface Answer { status: number; traceId: string; types: string[]; traceparent: string | null }

/** POSTs a chat message with these headers and reads the SSE answer to its end. */
async function chat(gateway: string, headers: Record<string, string>, path = '/api/chat'): Promise<Answer> {
  const res = await fetch(`${gateway}${path}`, path === '/api/chat'
    ? { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ message: 'hi' }) }
    : { headers });
  const text = await res.text();
  const events = text.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { type: string; traceId?: string });
  return { status: res.status, traceId: events.find((e) => e.type === 'start')?.traceId ?? '', types: [...new Set(events.map((e) => e.type))], traceparent: res.headers.get('traceparent') };
}

const rejected: Record<string, Record<string, string>> = {
  uppercase: { traceparent: VALID.toUpperCase() },
  zeroTraceId: { traceparent: `00-${'0'.repeat(32)}-${SPAN}-01` },
  zeroSpanId: { traceparent: `00-${TRACE}-${'0'.repeat(16)}-01` },
  versionFf: { traceparent: `ff-${TRACE}-${SPAN}-01` },
  repeated: { traceparent: `${VALID}, 00-${'1'.repeat(32)}-${'2'.repeat(16)}-01` },
  extraField: { traceparent: `${VALID}-extra` },
  shortFlags: { traceparent: `00-${TRACE}-${SPAN}-1` },
  // A future version may append fields, but not without bound (instrumentation-http alone joins it).
  oversizedFutureVersion: { traceparent: `01-${TRACE}-${SPAN}-01-${'a'.repeat(4000)}` },
  unicode: { traceparent: `00-${TRACE.slice(0, 31)}é-${SPAN}-01` },
};

test('the gateway starts a new trace for every traceparent the W3C rules reject, and still answers', async ({ stack }) => {
  const answers = await Promise.all(Object.values(rejected).map((h) => chat(stack.urls.gateway, h)));
  Object.keys(rejected).forEach((name, i) => {
    const answer = answers[i] as Answer;
    expect(answer.status, name).toBe(200);
    expect(answer.types, name).toEqual(['start', 'delta', 'done']);
    expect(answer.traceId, name).toMatch(/^[\da-f]{32}$/);
    expect(answer.traceId, name).not.toBe(TRACE);
    expect(answer.traceparent, name).toMatch(new RegExp(`^00-${answer.traceId}-[\\da-f]{16}-01$`));
  });
  expect(new Set(answers.map((a) => a.traceId)).size).toBe(answers.length);
  // A rejected traceparent leaves no trace of itself: the gateway's root has no parent.
  const spans = await waitForTrace(stack.urls.collector, (answers[0] as Answer).traceId, (s) => s.some((x) => x.name === 'stream sse'));
  const roots = spans.filter((s) => s.service === 'chat-gateway' && s.parentSpanId === '');
  expect(roots).toHaveLength(1);
});

test('valid context joins; an invalid tracestate is dropped, hostile ids and baggage are sanitized and bounded', async ({ stack }) => {
  const hostileId = `<script>alert(1)</script>${'A'.repeat(5000)}`;
  const tooManyMembers = Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(',');
  const [good, badState, ids, baggage] = await Promise.all([
    chat(stack.urls.gateway, { traceparent: VALID.replace(SPAN, '1111111111111111'), tracestate: 'vendor=abc,other=x' }),
    chat(stack.urls.gateway, { traceparent: VALID.replace(SPAN, '2222222222222222'), tracestate: tooManyMembers }),
    chat(stack.urls.gateway, { traceparent: VALID.replace(SPAN, '3333333333333333'), 'x-session-id': hostileId, 'x-message-id': 'm\u00e9\u00ff-1;DROP TABLE' }),
    chat(stack.urls.gateway, {
      traceparent: VALID.replace(SPAN, '4444444444444444'),
      baggage: `${'k=v,'.repeat(10)}session.id=%E0%A4%A,streamtrace.message.id=bag%3Cgage%3E,__proto__=1`,
    }),
  ]);
  for (const answer of [good, badState, ids, baggage]) {
    expect(answer.types).toEqual(['start', 'delta', 'done']);
    expect(answer.traceId).toBe(TRACE);
  }
  const spans = await waitForTrace(stack.urls.collector, TRACE, (s) => s.filter((x) => x.name === 'stream sse').length === 4);
  const raw = (await (await fetch(`${stack.urls.collector}/api/v3/traces/${TRACE}`)).json()) as {
    result: { resourceSpans: { scopeSpans: { spans: { spanId: string; parentSpanId?: string; traceState?: string }[] }[] }[] };
  };
  const rawSpans = raw.result.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  const entry = (parent: string) => findSpan(spans, (s) => s.service === 'chat-gateway' && s.parentSpanId === parent, `gateway span under ${parent}`);
  const state = (parent: string): string => rawSpans.find((s) => s.spanId === entry(parent).spanId)?.traceState ?? '';
  expect(state('1111111111111111')).toBe('vendor=abc,other=x');
  // Dropped whole, as the README's context rules say (instrumentation-http alone would keep 32 members).
  expect(state('2222222222222222')).toBe('');

  const streamUnder = (parent: string) => findSpan(spans, (s) => s.name === 'stream sse' && s.parentSpanId === entry(parent).spanId, `stream sse under ${parent}`);
  const hostile = streamUnder('3333333333333333');
  const session = String(hostile.attributes['session.id']);
  expect(session.length).toBeLessThanOrEqual(128);
  expect(session).toMatch(/^[A-Za-z0-9._:@/+=~-]+$/);
  expect(session.startsWith('scriptalert1/scriptAAA')).toBe(true);
  expect(hostile.attributes['streamtrace.message.id']).toBe('m-1DROPTABLE');
  const bag = streamUnder('4444444444444444');
  expect(bag.attributes['session.id']).toBeUndefined();
  expect(bag.attributes['streamtrace.message.id']).toBe('baggage');
  // Every gateway span of the trace carries the same sanitized ids, never the raw ones.
  for (const span of spans.filter((s) => s.service !== 'plain-page')) {
    expect(JSON.stringify(span.attributes)).not.toContain('<script>');
  }
});

test('EventSource and WebSocket from a page with hostile query parameters and first frames get answers and sane traces', async ({ page, stack }) => {
  // A page of the gateway's own origin-allowed kind (any localhost port), without the SDK: the raw
  // query and frames reach the server exactly as written.
  await page.goto(`${stack.urls.collector}/api/sampling`);
  const results = await page.evaluate(async ({ gateway, valid }) => {
    const es = (query: string) => new Promise<{ traceId: string; types: string[] }>((resolve) => {
      const source = new EventSource(`${gateway}/api/chat/stream?message=hi&${query}`);
      const types: string[] = []; let traceId = '';
      source.onmessage = (e) => {
        const m = JSON.parse(e.data);
        types.push(m.type); if (m.type === 'start') traceId = m.traceId;
        if (m.type === 'done' || m.type === 'error') { source.close(); resolve({ traceId, types: [...new Set(types)] }); }
      };
      source.onerror = () => { source.close(); resolve({ traceId, types: [...new Set(types), 'onerror'] }); };
    });
    const ws = (query: string, frame: string | ArrayBuffer) => new Promise<{ traceId: string; types: string[]; close?: number }>((resolve) => {
      const socket = new WebSocket(`${gateway.replace('http', 'ws')}/api/chat/ws?${query}`);
      const types: string[] = []; let traceId = '';
      socket.onopen = () => socket.send(frame);
      socket.onmessage = (e) => {
        const m = JSON.parse(e.data);
        types.push(m.type); if (m.type === 'start') traceId = m.traceId;
        if (m.type === 'done' || m.type === 'error') socket.close(1000);
      };
      socket.onclose = (e) => resolve({ traceId, types: [...new Set(types)], close: e.code });
    });
    const pending = {
      esJoined: es(`traceparent=${valid}&session_id=${encodeURIComponent('<img src=x onerror=alert(1)>')}&message_id=${'m'.repeat(4000)}`),
      esGoodState: es(`traceparent=${valid.replace(/-[\da-f]{16}-/, '-6666666666666666-')}&tracestate=${encodeURIComponent('vendor=abc')}`),
      esBadState: es(`traceparent=${valid.replace(/-[\da-f]{16}-/, '-5555555555555555-')}&tracestate=${encodeURIComponent(Array.from({ length: 33 }, (_, i) => `k${i}=v`).join(','))}`),
      esRepeated: es(`traceparent=${valid}&traceparent=${valid}`),
      esTrailingNewline: es(`traceparent=${valid}%0A&tracestate=%00%ff`),
      wsQuery: ws(`traceparent=${valid}&session_id=%E0%A4%A`, JSON.stringify({ message: 'hi' })),
      wsFrameGarbage: ws('', JSON.stringify({ message: 'hi', traceparent: { toString: 1 }, session_id: ['x'], message_id: 12 })),
      wsFrameContext: ws('', JSON.stringify({ message: 'hi', traceparent: valid, session_id: 'frame<s>' })),
      wsNotJson: ws('', 'not json at all'),
      wsHuge: ws('', 'x'.repeat(200 * 1024)),
    };
    const names = Object.keys(pending) as (keyof typeof pending)[];
    const settled = await Promise.all(names.map((n) => pending[n]));
    return Object.fromEntries(names.map((n, i) => [n, settled[i]])) as { [K in keyof typeof pending]: Awaited<(typeof pending)[K]> };
  }, { gateway: stack.urls.gateway, valid: VALID3 });

  for (const name of ['esJoined', 'esGoodState', 'esBadState'] as const) expect(results[name], name).toEqual({ traceId: TRACE3, types: ['start', 'delta', 'done'] });
  for (const name of ['esRepeated', 'esTrailingNewline', 'wsFrameGarbage'] as const) {
    expect(results[name].types, name).toEqual(['start', 'delta', 'done']);
    expect(results[name].traceId, name).not.toBe(TRACE3);
  }
  expect(results.wsQuery).toMatchObject({ traceId: TRACE3, types: ['start', 'delta', 'done'], close: 1000 });
  expect(results.wsFrameContext).toMatchObject({ traceId: TRACE3, types: ['start', 'delta', 'done'] });
  // A frame that is not a chat request gets an error answer; one over the 64 KiB limit closes the socket (1009).
  expect(results.wsNotJson.types).toEqual(['error']);
  expect(results.wsHuge.close).toBe(1009);

  const spans = await waitForTrace(stack.urls.collector, TRACE3, (s) => s.filter((x) => x.name.startsWith('stream ')).length === 5);
  // Query context is promoted by @streamtrace/node with the strict rules: 33 members → no tracestate at all.
  const raw = (await (await fetch(`${stack.urls.collector}/api/v3/traces/${TRACE3}`)).json()) as {
    result: { resourceSpans: { scopeSpans: { spans: { parentSpanId?: string; traceState?: string }[] }[] }[] };
  };
  const rawSpans = raw.result.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
  expect(rawSpans.find((x) => x.parentSpanId === '6666666666666666')?.traceState).toBe('vendor=abc');
  expect(rawSpans.find((x) => x.parentSpanId === '5555555555555555')?.traceState ?? '').toBe('');
  const ids = spans.filter((s) => s.name.startsWith('stream ')).map((s) => [s.attributes['session.id'], String(s.attributes['streamtrace.message.id'] ?? '').length]);
  expect(ids).toContainEqual(['imgsrc=xonerror=alert1', 128]);
  expect(ids).toContainEqual(['frames', 0]);
  // The gateway is still healthy.
  expect((await chat(stack.urls.gateway, {})).types).toEqual(['start', 'delta', 'done']);
});
