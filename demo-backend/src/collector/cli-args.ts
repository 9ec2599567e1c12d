import { DEFAULT_MAX_METRIC_SERIES, DEFAULT_MAX_SPANS, DEFAULT_PORT } from './start.js';
import { DEFAULT_MAX_SERIES_PER_METRIC } from './metrics/registry.js';
import type { CollectorOptions } from './start.js';

export const USAGE = `Usage: node demo-backend/dist/collector/main.js [options]

  --port N             port to listen on, 0 = any free port   (env COLLECTOR_PORT, default ${DEFAULT_PORT})
  --host H             interface to bind                      (env COLLECTOR_HOST, default 127.0.0.1)
  --max-spans N        span store bound                       (env COLLECTOR_MAX_SPANS, default ${DEFAULT_MAX_SPANS})
  --max-body-bytes N   largest request body                   (default 4194304)
  --request-timeout-ms N   whole request must arrive within this, else 408 (default 30000, 0 = none)
  --headers-timeout-ms N   request headers must arrive within this, else 408 (default 10000)
  --body-idle-timeout-ms N 408 when a request body gets no byte for this long (default 10000, 0 = none)
  --max-metric-series N  OTLP metric store bound (series)     (default ${DEFAULT_MAX_METRIC_SERIES})
  --max-series-per-metric N  series limit of each /metrics family (default ${DEFAULT_MAX_SERIES_PER_METRIC})
  --forward URL        also send every accepted body to this OTLP/HTTP endpoint (env COLLECTOR_FORWARD_URL)
  --allow-origin O     CORS origin pattern, repeatable or comma-separated (env COLLECTOR_ALLOW_ORIGINS)
  --panel-dir DIR      folder served at / (default: @streamtrace/devtools dist/standalone)
  --sampling-rate R    browser sampling rate served on GET /api/sampling, 0..1 (env COLLECTOR_SAMPLING_RATE;
                       default none: browsers keep their configured sampleRate; PUT /api/sampling overrides it)
  --help               show this help
`;

export type CliResult = { help: true } | { help: false; options: CollectorOptions };

function integer(value: string | undefined, name: string, min: number, max: number): number {
  const number = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(number) || number < min || number > max) {
    throw new Error(`${name} must be an integer between ${min} and ${max}, got ${value ?? '(nothing)'}`);
  }
  return number;
}

function rate(value: string | undefined, name: string): number {
  const number = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(number) || number < 0 || number > 1) {
    throw new Error(`${name} must be a number between 0 and 1, got ${value ?? '(nothing)'}`);
  }
  return number;
}

function origins(value: string): string[] {
  return value.split(',').map((o) => o.trim()).filter(Boolean);
}

/** Flags win over environment variables; throws with a readable message on bad input. */
export function parseCliArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): CliResult {
  const options: CollectorOptions = {};
  if (env.COLLECTOR_PORT) options.port = integer(env.COLLECTOR_PORT, 'COLLECTOR_PORT', 0, 65535);
  if (env.COLLECTOR_HOST) options.host = env.COLLECTOR_HOST;
  if (env.COLLECTOR_MAX_SPANS) options.maxSpans = integer(env.COLLECTOR_MAX_SPANS, 'COLLECTOR_MAX_SPANS', 1, 100_000_000);
  if (env.COLLECTOR_FORWARD_URL) options.forwardUrl = env.COLLECTOR_FORWARD_URL;
  if (env.COLLECTOR_ALLOW_ORIGINS) options.allowOrigins = origins(env.COLLECTOR_ALLOW_ORIGINS);
  if (env.COLLECTOR_SAMPLING_RATE) options.samplingRate = rate(env.COLLECTOR_SAMPLING_RATE, 'COLLECTOR_SAMPLING_RATE');

  let flagOrigins: string[] | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[++i];
      if (next === undefined) throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return { help: true };
      case '--port':
        options.port = integer(value(), '--port', 0, 65535);
        break;
      case '--host':
        options.host = value();
        break;
      case '--max-spans':
        options.maxSpans = integer(value(), '--max-spans', 1, 100_000_000);
        break;
      case '--max-body-bytes':
        options.maxBodyBytes = integer(value(), '--max-body-bytes', 1, 1024 * 1024 * 1024);
        break;
      case '--request-timeout-ms':
        options.requestTimeoutMs = integer(value(), '--request-timeout-ms', 0, 3_600_000);
        break;
      case '--headers-timeout-ms':
        options.headersTimeoutMs = integer(value(), '--headers-timeout-ms', 1, 3_600_000);
        break;
      case '--body-idle-timeout-ms':
        options.bodyIdleTimeoutMs = integer(value(), '--body-idle-timeout-ms', 0, 3_600_000);
        break;
      case '--max-metric-series':
        options.maxMetricSeries = integer(value(), '--max-metric-series', 1, 10_000_000);
        break;
      case '--max-series-per-metric':
        options.maxSeriesPerMetric = integer(value(), '--max-series-per-metric', 1, 1_000_000);
        break;
      case '--forward': {
        const url = value();
        new URL(url);
        options.forwardUrl = url;
        break;
      }
      case '--allow-origin':
        flagOrigins = [...(flagOrigins ?? []), ...origins(value())];
        break;
      case '--panel-dir':
        options.panelDir = value();
        break;
      case '--sampling-rate':
        options.samplingRate = rate(value(), '--sampling-rate');
        break;
      default:
        throw new Error(`unknown argument ${arg}`);
    }
  }
  if (flagOrigins) options.allowOrigins = flagOrigins;
  if (options.forwardUrl) new URL(options.forwardUrl);
  return { help: false, options };
}
