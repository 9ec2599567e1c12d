// Runs one planned soak request against the gateway as a real client would, going away on cue.
import WebSocket from 'ws';
import { createSseParser } from '../shared/sse-parser.js';
import type { PlannedRequest } from './soak-plan.test-helpers.js';

export interface ClientResult {
  /** Event types in arrival order. */
  types: string[];
  deltas: number;
  /** `done`/`error` event, if the stream ended on its own. */
  terminal?: { type: 'done' | 'error'; errorType?: string };
  /** The client went away as planned. */
  disconnected: boolean;
  /** Something the client did not expect (status, early close, its own timeout). */
  problem?: string;
}

interface WireEvent {
  type: string;
  error?: { type?: string };
}

/** Longest a single request may take before the client gives up and reports it. */
const CLIENT_TIMEOUT_MS = 15_000;

export function runRequest(gatewayUrl: string, plan: PlannedRequest): Promise<ClientResult> {
  return plan.transport === 'websocket' ? runWebSocket(gatewayUrl, plan) : runSse(gatewayUrl, plan);
}

function ids(plan: PlannedRequest): { sessionId: string; messageId: string } {
  return { sessionId: `soak-sess-${plan.index % 10}`, messageId: `soak-msg-${plan.index}` };
}

/** True when the plan says to leave now, given the events seen so far. */
function leaveNow(plan: PlannedRequest, result: ClientResult): boolean {
  const d = plan.disconnect;
  return d?.at === 'deltas' && result.types.includes('start') && result.deltas >= d.afterDeltas;
}

function record(result: ClientResult, event: WireEvent): void {
  result.types.push(event.type);
  if (event.type === 'delta') result.deltas++;
  if (event.type === 'done') result.terminal = { type: 'done' };
  if (event.type === 'error') result.terminal = { type: 'error', ...(event.error?.type ? { errorType: event.error.type } : {}) };
}

async function runSse(gatewayUrl: string, plan: PlannedRequest): Promise<ClientResult> {
  const result: ClientResult = { types: [], deltas: 0, disconnected: false };
  const aborter = new AbortController();
  const timer = setTimeout(() => aborter.abort(new Error('client timeout')), CLIENT_TIMEOUT_MS);
  const { sessionId, messageId } = ids(plan);
  try {
    let response: Response;
    if (plan.transport === 'fetch') {
      response = await fetch(`${gatewayUrl}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: plan.traceparent, 'x-session-id': sessionId, 'x-message-id': messageId },
        body: JSON.stringify({ message: plan.message, ...(plan.fault ? { fault: plan.fault } : {}) }),
        signal: aborter.signal,
      });
    } else {
      // What an EventSource sends: a GET with the context in query parameters, no custom headers.
      const query = new URLSearchParams({
        message: plan.message,
        ...(plan.fault ? { fault: plan.fault } : {}),
        traceparent: plan.traceparent,
        session_id: sessionId,
        message_id: messageId,
      });
      response = await fetch(`${gatewayUrl}/api/chat/stream?${query}`, { headers: { accept: 'text/event-stream' }, signal: aborter.signal });
    }
    if (response.status !== 200) {
      result.problem = `status ${response.status}`;
      await response.body?.cancel();
      return result;
    }
    if (plan.disconnect?.at === 'headers') {
      aborter.abort();
      result.disconnected = true;
      return result;
    }
    const reader = response.body!.getReader();
    const parser = createSseParser();
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const message of parser.push(decoder.decode(value, { stream: true }))) {
        record(result, JSON.parse(message.data) as WireEvent);
        if (leaveNow(plan, result)) {
          const how = plan.disconnect?.at === 'deltas' ? plan.disconnect.how : 'abort';
          if (how === 'cancel-body') await reader.cancel();
          else aborter.abort();
          result.disconnected = true;
          return result;
        }
      }
    }
    if (!result.terminal) result.problem = `stream ended without done/error after ${result.types.join(',')}`;
    return result;
  } catch (error) {
    result.problem = `client error: ${error instanceof Error ? error.message : String(error)}`;
    return result;
  } finally {
    clearTimeout(timer);
  }
}

function runWebSocket(gatewayUrl: string, plan: PlannedRequest): Promise<ClientResult> {
  const result: ClientResult = { types: [], deltas: 0, disconnected: false };
  const { sessionId, messageId } = ids(plan);
  const base = `${gatewayUrl.replace(/^http/, 'ws')}/api/chat/ws`;
  const inQuery = plan.wsContext === 'query';
  const url = inQuery ? `${base}?${new URLSearchParams({ traceparent: plan.traceparent, session_id: sessionId, message_id: messageId })}` : base;
  const frame = {
    message: plan.message,
    ...(plan.fault ? { fault: plan.fault } : {}),
    ...(inQuery ? {} : { traceparent: plan.traceparent, session_id: sessionId, message_id: messageId }),
  };
  return new Promise((resolve) => {
    const socket = new WebSocket(url);
    let finished = false;
    const finish = (problem?: string): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (problem) result.problem = problem;
      resolve(result);
    };
    const timer = setTimeout(() => {
      socket.terminate();
      finish('client timeout');
    }, CLIENT_TIMEOUT_MS);
    socket.on('open', () => socket.send(JSON.stringify(frame)));
    socket.on('message', (data) => {
      if (finished) return;
      record(result, JSON.parse(data.toString()) as WireEvent);
      if (result.terminal) {
        socket.close();
        finish();
      } else if (leaveNow(plan, result)) {
        if (plan.disconnect?.at === 'deltas' && plan.disconnect.how === 'terminate') socket.terminate();
        else socket.close();
        result.disconnected = true;
        finish();
      }
    });
    socket.on('close', () => finish(`socket closed early after ${result.types.join(',')}`));
    socket.on('error', (error) => finish(`socket error: ${error.message}`));
  });
}
