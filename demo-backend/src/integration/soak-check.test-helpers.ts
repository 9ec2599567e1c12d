// Checks one soak request's trace against what its client did and which fault it injected.
import type { ClientResult } from './soak-clients.test-helpers.js';
import type { Outcome, PlannedRequest } from './soak-plan.test-helpers.js';
import { KIND, STATUS_ERROR } from './trace-reader.test-helpers.js';
import type { FlatSpan } from './trace-reader.test-helpers.js';

export interface TraceCheck {
  problems: string[];
  /** Outcome on the gateway stream span (undefined when there was none). */
  outcome?: string;
  /** `error.type` on the gateway stream span, when it has one. */
  errorType?: string;
  /** Span names this request had to have, all found ended. */
  expectedSpans: number;
  /** Every span of the trace, each checked for a parent present in the trace. */
  spans: number;
  /** The model-service span existed (the request reached the model). */
  modelReached: boolean;
}

const TERMINAL_EVENTS = ['stream.complete', 'stream.cancel', 'stream.error'];
const OUTCOMES: readonly string[] = ['complete', 'cancel', 'error'];
const MODEL_FAULTS: readonly (string | undefined)[] = ['model-error', 'midstream-error', 'stall'];

function label(span: FlatSpan): string {
  return `${span.service} "${span.name}"`;
}

export function checkTrace(plan: PlannedRequest, client: ClientResult, spans: FlatSpan[]): TraceCheck {
  const problems: string[] = [];
  const check: TraceCheck = { problems, expectedSpans: 0, spans: spans.length, modelReached: false };
  const expect = (ok: boolean, message: string): void => {
    if (!ok) problems.push(message);
  };
  const only = (service: string, name: string, kind?: number): FlatSpan | undefined => {
    const found = spans.filter((s) => s.service === service && s.name === name && (kind === undefined || s.kind === kind));
    expect(found.length <= 1, `${found.length} ${service} "${name}" spans`);
    return found[0];
  };
  const required = (span: FlatSpan | undefined, what: string): span is FlatSpan => {
    expect(span !== undefined, `missing ${what}`);
    if (span) check.expectedSpans++;
    return span !== undefined;
  };
  const outcomeOf = (span: FlatSpan): unknown => span.attributes['streamtrace.stream.outcome'];
  const expectOutcome = (span: FlatSpan, outcome: Outcome, errorType?: string): void => {
    expect(outcomeOf(span) === outcome, `${label(span)} outcome ${String(outcomeOf(span))}, expected ${outcome}`);
    if (outcome === 'error') {
      expect(span.statusCode === STATUS_ERROR, `${label(span)} status ${span.statusCode} on an error`);
      if (errorType) expect(span.attributes['error.type'] === errorType, `${label(span)} error.type ${String(span.attributes['error.type'])}, expected ${errorType}`);
    } else {
      expect(span.statusCode !== STATUS_ERROR, `${label(span)} has error status on ${outcome}`);
    }
  };

  if (client.problem) problems.push(`client: ${client.problem}`);
  if (spans.length === 0) {
    problems.push('trace not found');
    return check;
  }

  // Structure: ids unique, every parent present, exactly one span hangs off the client's span.
  const ids = new Set(spans.map((s) => s.spanId));
  expect(ids.size === spans.length, 'duplicate span ids');
  for (const span of spans) {
    expect(span.parentSpanId === plan.parentSpanId || ids.has(span.parentSpanId), `orphan ${label(span)} (parent ${span.parentSpanId || 'none'})`);
  }
  const roots = spans.filter((s) => s.parentSpanId === plan.parentSpanId);
  expect(roots.length === 1, `${roots.length} spans under the client span: ${roots.map(label).join(', ')}`);

  // The gateway stream span: one, terminal, matching what happened.
  const streamName = plan.transport === 'websocket' ? 'stream websocket' : 'stream sse';
  const streams = spans.filter((s) => s.service === 'chat-gateway' && s.name.startsWith('stream '));
  expect(streams.length === 1, `${streams.length} gateway stream spans`);
  const stream = streams[0];
  if (!required(stream, `chat-gateway "${streamName}"`)) return check;
  expect(stream.name === streamName, `stream span named "${stream.name}", expected "${streamName}"`);
  check.outcome = String(outcomeOf(stream));
  if (stream.attributes['error.type'] !== undefined) check.errorType = String(stream.attributes['error.type']);
  expectOutcome(stream, plan.expected.outcome, plan.expected.errorType);
  const terminal = stream.events.filter((e) => TERMINAL_EVENTS.includes(e.name)).map((e) => e.name);
  expect(terminal.length === 1 && terminal[0] === `stream.${plan.expected.outcome}`, `stream terminal events [${terminal.join(', ')}], expected stream.${plan.expected.outcome}`);
  expect(stream.attributes['streamtrace.message.id'] === `soak-msg-${plan.index}`, `stream span message id ${String(stream.attributes['streamtrace.message.id'])}`);
  expect(stream.attributes['streamtrace.fault'] === (plan.fault ?? 'none'), `stream span fault ${String(stream.attributes['streamtrace.fault'])}`);
  if (plan.transport === 'websocket') {
    expect(stream.kind === KIND.SERVER && stream.parentSpanId === plan.parentSpanId, 'websocket stream span is not a SERVER child of the client span');
    expect(stream.attributes['streamtrace.context.source'] === plan.wsContext, `context source ${String(stream.attributes['streamtrace.context.source'])}, expected ${plan.wsContext}`);
  } else {
    const route = plan.transport === 'fetch' ? 'POST /api/chat' : 'GET /api/chat/stream';
    const server = only('chat-gateway', route, KIND.SERVER);
    if (required(server, `chat-gateway "${route}" SERVER`)) {
      expect(server.parentSpanId === plan.parentSpanId, `${route} does not join the client span`);
      expect(stream.parentSpanId === server.spanId, 'stream sse is not a child of the HTTP server span');
    }
  }

  // What the client saw agrees with the plan.
  if (plan.disconnect) {
    expect(client.disconnected && client.terminal === undefined, `client should have left mid-stream (saw ${client.types.join(',')})`);
  } else if (plan.expected.outcome === 'complete') {
    expect(client.terminal?.type === 'done', `client saw ${client.terminal?.type ?? 'no end'}, expected done`);
    expect(stream.attributes['streamtrace.stream.deltas'] === client.deltas, `stream deltas ${String(stream.attributes['streamtrace.stream.deltas'])}, client saw ${client.deltas}`);
  } else {
    expect(client.terminal?.type === 'error' && client.terminal.errorType === plan.expected.errorType, `client saw ${JSON.stringify(client.terminal)}, expected error ${plan.expected.errorType}`);
  }

  // Retrieval: always started once `start` was sent; only `slow-retrieval` stops it short.
  const retrieval = only('chat-gateway', 'retrieval streamtrace-docs', KIND.CLIENT);
  const mustRetrieve = plan.disconnect?.at !== 'headers';
  if (mustRetrieve) required(retrieval, 'gateway retrieval span');
  const retrieved = retrieval !== undefined && outcomeOf(retrieval) === 'complete';
  if (retrieval) {
    expect(OUTCOMES.includes(String(outcomeOf(retrieval))), `retrieval outcome ${String(outcomeOf(retrieval))}`);
    if (plan.fault === 'slow-retrieval') expectOutcome(retrieval, plan.disconnect ? 'cancel' : 'error', plan.disconnect ? undefined : 'timeout');
    else if (client.deltas > 0 || !plan.disconnect) expectOutcome(retrieval, 'complete');
    // The vector store finishes (and ends) its search even when the gateway gave up on it.
    const search = only('vector-store', 'vector.search streamtrace-docs');
    if (retrieved || (plan.fault === 'slow-retrieval' && !plan.disconnect)) {
      required(only('vector-store', 'POST /search', KIND.SERVER), 'vector-store "POST /search" SERVER');
      if (required(search, 'vector-store "vector.search streamtrace-docs"') && plan.fault === 'slow-retrieval') {
        expect(search.attributes['streamtrace.fault'] === 'slow', 'vector.search lacks streamtrace.fault=slow');
      }
    }
  }

  // The model: reached once retrieval completed (unless the client left first).
  const gatewayChat = only('chat-gateway', 'chat sim-gpt-1', KIND.CLIENT);
  const model = only('model-service', 'chat sim-gpt-1');
  check.modelReached = model !== undefined;
  if (!retrieved) {
    expect(gatewayChat === undefined && model === undefined, 'model called although retrieval did not complete');
    return check;
  }
  const mustReachModel = client.deltas > 0 || !plan.disconnect;
  if (mustReachModel) {
    required(gatewayChat, 'gateway "chat sim-gpt-1" CLIENT');
    required(model, 'model-service "chat sim-gpt-1"');
    required(only('model-service', 'POST /v1/chat/completions', KIND.SERVER), 'model-service "POST /v1/chat/completions" SERVER');
  }
  if (gatewayChat) {
    if (plan.expected.outcome === 'error' && MODEL_FAULTS.includes(plan.fault)) expectOutcome(gatewayChat, 'error', plan.expected.errorType);
    else expectOutcome(gatewayChat, plan.expected.outcome);
  }
  if (model) {
    // A stalled model is hung up on by the gateway: the model sees a cancel, not an error.
    const modelOutcome: Outcome = plan.disconnect || plan.fault === 'stall' ? 'cancel' : plan.expected.outcome;
    expectOutcome(model, modelOutcome, modelOutcome === 'error' ? plan.expected.errorType : undefined);
    const modelTerminal = model.events.filter((e) => TERMINAL_EVENTS.includes(e.name)).map((e) => e.name);
    const expectedEvents = modelOutcome === 'complete' ? [] : [`stream.${modelOutcome}`];
    expect(JSON.stringify(modelTerminal) === JSON.stringify(expectedEvents), `model terminal events [${modelTerminal.join(', ')}], expected [${expectedEvents.join(', ')}]`);
  }
  return check;
}
