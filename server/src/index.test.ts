import { ROOT_CONTEXT } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import * as api from './index.js';

describe('public surface of @streamtrace/node', () => {
  it('exports exactly the documented functions and constants', () => {
    expect(Object.keys(api).sort()).toEqual([
      'ALLOW_HEADERS',
      'EXPOSE_HEADERS',
      'MESSAGE_ID',
      'RequestIdsSpanProcessor',
      'SESSION_ID',
      'extractRequestContext',
      'joinQueryContext',
      'parseTraceparent',
      'parseTracestate',
      'pinoMixin',
      'sanitizeId',
      'setRequestIds',
      'startSseStream',
      'startStreamSpan',
      'streamResponseHeaders',
      'traceHttpServer',
      'traceWebSocket',
    ]);
  });

  it('streamResponseHeaders is empty without a span context', () => {
    expect(api.streamResponseHeaders(ROOT_CONTEXT)).toEqual({});
  });
});
