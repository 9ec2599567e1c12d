// Load client for bench/backend.mjs: streams chat answers from the gateway over one transport at a
// given concurrency, reading every stream to its end, and measures the gateway process's CPU time.
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

export const TRANSPORTS = ['sse', 'eventsource', 'websocket'];
const MESSAGE = 'How does tracing a streamed answer work?';
/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in these ticks. */
const TICKS_PER_S = 100;

/** utime + stime of a process, in ms (10 ms resolution). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat(5); `fields` starts at field 3.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_S;
}

/** What one finished stream told us; throws unless the gateway sent start, every delta and done. */
function checkStream(first, last, tokens, transport) {
  const start = JSON.parse(first);
  const done = JSON.parse(last);
  if (start.type !== 'start' || done.type !== 'done' || done.events !== tokens + 2) {
    throw new Error(`${transport}: incomplete stream (first ${first.slice(0, 80)}, last ${last.slice(0, 120)})`);
  }
  return start.traceId;
}

/** First and last `data:` payloads of an SSE body, reading it all. */
async function readSse(res, tokens, transport) {
  if (res.status !== 200) throw new Error(`${transport}: HTTP ${res.status}`);
  const decoder = new TextDecoder();
  let head = '';
  let tail = '';
  let bytes = 0;
  for await (const piece of res.body) {
    bytes += piece.byteLength;
    const text = decoder.decode(piece, { stream: true });
    if (head.length < 512) head += text;
    tail = (tail + text).slice(-512);
  }
  const first = /data: (.*)\n/.exec(head)?.[1] ?? '';
  const last = tail.slice(tail.lastIndexOf('data: ') + 6).trim();
  return { traceId: checkStream(first, last, tokens, transport), bytes };
}

function sseStream(url, tokens) {
  return async () => {
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: MESSAGE }),
    });
    return readSse(res, tokens, 'sse');
  };
}

function eventSourceStream(url, tokens) {
  const target = `${url}/api/chat/stream?message=${encodeURIComponent(MESSAGE)}`;
  return async () => readSse(await fetch(target, { headers: { accept: 'text/event-stream' } }), tokens, 'eventsource');
}

/** One socket per worker, reused for its messages (as a chat page does). */
async function wsStream(url, tokens) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/api/chat/ws`);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  let pending;
  socket.on('message', (data) => pending?.frame(data));
  socket.on('close', () => pending?.fail(new Error('websocket closed mid-stream')));
  const next = () =>
    new Promise((resolve, reject) => {
      let first;
      let bytes = 0;
      pending = {
        frame(data) {
          bytes += data.length;
          const text = data.toString();
          first ??= text;
          if (text.startsWith('{"type":"done"') || text.startsWith('{"type":"error"')) {
            pending = undefined;
            try {
              resolve({ traceId: checkStream(first, text, tokens, 'websocket'), bytes });
            } catch (error) {
              reject(error);
            }
          }
        },
        fail: reject,
      };
      socket.send(JSON.stringify({ message: MESSAGE }));
    });
  next.close = () => socket.close();
  return next;
}

async function openWorker(transport, url, tokens) {
  if (transport === 'sse') return sseStream(url, tokens);
  if (transport === 'eventsource') return eventSourceStream(url, tokens);
  if (transport === 'websocket') return wsStream(url, tokens);
  throw new Error(`unknown transport ${transport}; transports: ${TRANSPORTS.join(', ')}`);
}

/**
 * `requests` streams from `gateway` over `transport`, `concurrency` at a time. Returns wall time,
 * the gateway's CPU time over the cell (including `settleMs` after the last stream, so the span
 * batch export that follows is counted), bytes and the trace ids from the `start` events.
 */
export async function runCell({ gateway, transport, concurrency, requests, tokens, settleMs = 400 }) {
  const workers = await Promise.all(Array.from({ length: concurrency }, () => openWorker(transport, gateway.url, tokens)));
  const traceIds = [];
  let bytes = 0;
  let issued = 0;
  const cpuBefore = cpuMs(gateway.pid);
  const started = performance.now();
  await Promise.all(
    workers.map(async (stream) => {
      while (issued < requests) {
        issued++;
        const r = await stream();
        traceIds.push(r.traceId);
        bytes += r.bytes;
      }
    }),
  );
  const wallMs = performance.now() - started;
  for (const w of workers) w.close?.();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const cpu = cpuMs(gateway.pid) - cpuBefore;
  return {
    wallMs,
    requests,
    tokensPerS: (requests * tokens * 1000) / wallMs,
    requestsPerS: (requests * 1000) / wallMs,
    cpuMsPerRequest: cpu / requests,
    bytesPerStream: bytes / requests,
    traceIds,
  };
}
