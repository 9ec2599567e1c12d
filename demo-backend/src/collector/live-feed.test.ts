import { afterEach, describe, expect, it } from 'vitest';
import { startCollector } from './start.js';
import { hexId, otlpJson, postJson } from './fixtures.test-helpers.js';
import type { RunningCollector } from './start.js';
import type { TracesData } from './otlp-types.js';

let collector: RunningCollector | undefined;
afterEach(async () => {
  await collector?.close();
  collector = undefined;
});

interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

/** Reads SSE events from a streaming response until `count` events (comments excluded) arrived. */
async function readEvents(res: Response, count: number): Promise<SseEvent[]> {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let text = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event: SseEvent = { data: '' };
      let hasData = false;
      for (const line of block.split('\n')) {
        if (line.startsWith('id: ')) event.id = line.slice(4);
        else if (line.startsWith('event: ')) event.event = line.slice(7);
        else if (line.startsWith('data: ')) {
          event.data += line.slice(6);
          hasData = true;
        }
      }
      if (hasData) events.push(event);
    }
  }
  await reader.cancel();
  return events;
}

function spanNames(event: SseEvent): string[] {
  const data = JSON.parse(event.data) as TracesData;
  return data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)));
}

describe('GET /api/live', () => {
  it('delivers each ingested batch as a spans event with an increasing id', async () => {
    collector = await startCollector({ port: 0 });
    const live = await fetch(`${collector.url}/api/live`);
    expect(live.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reading = readEvents(live, 2);
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name: 'first' }]));
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name: 'second' }]));
    const events = await reading;
    expect(events.map((e) => [e.id, e.event])).toEqual([
      ['1', 'spans'],
      ['2', 'spans'],
    ]);
    expect(events.map(spanNames)).toEqual([['first'], ['second']]);
  });

  it('gives every one of 10 listeners every event, multi-byte text intact, and replays the same bytes', async () => {
    collector = await startCollector({ port: 0 });
    const url = collector.url;
    const listeners = await Promise.all(Array.from({ length: 10 }, () => fetch(`${url}/api/live`)));
    const readings = listeners.map((live) => readEvents(live, 3));
    const names = ['réponse ✓', '回答', 'plain'];
    for (const name of names) await postJson(`${url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name }]));
    const received = await Promise.all(readings);
    for (const events of received) {
      expect(events.map((e) => e.id)).toEqual(['1', '2', '3']);
      expect(events.map(spanNames)).toEqual(names.map((n) => [n]));
    }
    const replayed = await readEvents(await fetch(`${url}/api/live`, { headers: { 'Last-Event-ID': '0' } }), 3);
    expect(replayed).toEqual(received[0]);
  });

  it('resumes after Last-Event-ID (header or query) with the events the client missed', async () => {
    collector = await startCollector({ port: 0 });
    for (const name of ['a', 'b', 'c']) {
      await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name }]));
    }
    const viaHeader = await readEvents(await fetch(`${collector.url}/api/live`, { headers: { 'Last-Event-ID': '1' } }), 2);
    expect(viaHeader.map((e) => e.id)).toEqual(['2', '3']);
    expect(viaHeader.map(spanNames)).toEqual([['b'], ['c']]);

    const viaQuery = await fetch(`${collector.url}/api/live?lastEventId=2`);
    const reading = readEvents(viaQuery, 2);
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name: 'd' }]));
    expect((await reading).map(spanNames)).toEqual([['c'], ['d']]);
  });

  it('tells a client that reconnects too late which events fell out of the buffer', async () => {
    collector = await startCollector({ port: 0, live: { maxEvents: 2 } });
    for (const name of ['a', 'b', 'c', 'd']) {
      await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name }]));
    }
    const events = await readEvents(await fetch(`${collector.url}/api/live`, { headers: { 'Last-Event-ID': '0' } }), 3);
    expect(events[0]).toMatchObject({ event: 'gap', data: JSON.stringify({ missedFrom: 1, missedTo: 2 }) });
    expect(events.slice(1).map(spanNames)).toEqual([['c'], ['d']]);
  });

  it('lets a client list traces, then follow from the list\'s lastEventId without a gap or a repeat', async () => {
    collector = await startCollector({ port: 0 });
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name: 'before' }]));
    const list = (await (await fetch(`${collector.url}/api/traces`)).json()) as { traces: unknown[]; lastEventId: number };
    expect(list.traces).toHaveLength(1);
    expect(list.lastEventId).toBe(1);
    // Stored after the list was made and before the client follows the feed.
    await postJson(`${collector.url}/v1/traces`, otlpJson('svc', [{ traceId: hexId(16), name: 'between' }]));
    const events = await readEvents(await fetch(`${collector.url}/api/live?lastEventId=${list.lastEventId}`), 1);
    expect(events.map(spanNames)).toEqual([['between']]);
  });

  it('does not repeat spans that were already stored, and publishes logs as logs events', async () => {
    collector = await startCollector({ port: 0 });
    const traceId = hexId(16);
    const body = otlpJson('svc', [{ traceId, spanId: hexId(8), name: 'once' }]);
    const live = await fetch(`${collector.url}/api/live`);
    const reading = readEvents(live, 2);
    await postJson(`${collector.url}/v1/traces`, body);
    await postJson(`${collector.url}/v1/traces`, body);
    await postJson(`${collector.url}/v1/logs`, {
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1', body: { stringValue: 'hi' }, traceId }] }] }],
    });
    const events = await reading;
    expect(events.map((e) => e.event)).toEqual(['spans', 'logs']);
    const health = (await (await fetch(`${collector.url}/api/health`)).json()) as { spans: number };
    expect(health.spans).toBe(1);
  });

  it('forgets a client when it disconnects', async () => {
    collector = await startCollector({ port: 0 });
    const controller = new AbortController();
    const live = await fetch(`${collector.url}/api/live`, { signal: controller.signal });
    expect(live.status).toBe(200);
    expect(collector.live.clientCount()).toBe(1);
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(collector.live.clientCount()).toBe(0);
  });
});
