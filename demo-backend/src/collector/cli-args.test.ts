import { describe, expect, it } from 'vitest';
import { parseCliArgs } from './cli-args.js';

describe('collector CLI arguments', () => {
  it('reads environment defaults and lets flags win', () => {
    const env = { COLLECTOR_PORT: '5000', COLLECTOR_MAX_SPANS: '50', COLLECTOR_ALLOW_ORIGINS: 'http://a.test, http://b.test' };
    expect(parseCliArgs([], env)).toEqual({ help: false, options: { port: 5000, maxSpans: 50, allowOrigins: ['http://a.test', 'http://b.test'] } });
    const parsed = parseCliArgs(['--port', '0', '--max-spans=7', '--allow-origin', 'http://c.test', '--allow-origin', 'http://d.test,http://e.test', '--forward', 'http://otel:4318/v1/traces', '--host', '0.0.0.0'], env);
    expect(parsed).toEqual({
      help: false,
      options: { port: 0, maxSpans: 7, host: '0.0.0.0', forwardUrl: 'http://otel:4318/v1/traces', allowOrigins: ['http://c.test', 'http://d.test', 'http://e.test'] },
    });
  });

  it('reads the metric bounds', () => {
    expect(parseCliArgs(['--max-metric-series', '500', '--max-series-per-metric=20'], {})).toEqual({ help: false, options: { maxMetricSeries: 500, maxSeriesPerMetric: 20 } });
    expect(() => parseCliArgs(['--max-series-per-metric', '0'], {})).toThrow(/--max-series-per-metric must be an integer/);
  });

  it('reads the slow-client timeouts', () => {
    expect(parseCliArgs(['--request-timeout-ms', '5000', '--headers-timeout-ms=2000', '--body-idle-timeout-ms', '0'], {})).toEqual({
      help: false,
      options: { requestTimeoutMs: 5000, headersTimeoutMs: 2000, bodyIdleTimeoutMs: 0 },
    });
    expect(() => parseCliArgs(['--headers-timeout-ms', '0'], {})).toThrow(/--headers-timeout-ms must be an integer/);
  });

  it('refuses bad values with a readable message', () => {
    expect(() => parseCliArgs(['--port', '70000'], {})).toThrow(/--port must be an integer/);
    expect(() => parseCliArgs(['--max-spans'], {})).toThrow(/needs a value/);
    expect(() => parseCliArgs(['--forward', 'not a url'], {})).toThrow();
    expect(() => parseCliArgs(['--bogus'], {})).toThrow(/unknown argument --bogus/);
    expect(() => parseCliArgs([], { COLLECTOR_MAX_SPANS: 'lots' })).toThrow(/COLLECTOR_MAX_SPANS/);
  });

  it('recognizes --help', () => {
    expect(parseCliArgs(['--port', '1', '--help'], {})).toEqual({ help: true });
  });
});
