import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { SeverityNumber, logs } from '@opentelemetry/api-logs';
import type { AnyValueMap, Logger as OtelLogger } from '@opentelemetry/api-logs';

/** pino level → OTel severity (pino's numbers: 10 trace … 60 fatal). */
const SEVERITIES: Record<number, [SeverityNumber, string]> = {
  10: [SeverityNumber.TRACE, 'TRACE'],
  20: [SeverityNumber.DEBUG, 'DEBUG'],
  30: [SeverityNumber.INFO, 'INFO'],
  40: [SeverityNumber.WARN, 'WARN'],
  50: [SeverityNumber.ERROR, 'ERROR'],
  60: [SeverityNumber.FATAL, 'FATAL'],
};

/** Fields that become the record's own properties (or are process facts the resource has). */
const RESERVED = new Set(['level', 'time', 'msg', 'trace_id', 'span_id', 'trace_flags', 'pid', 'hostname']);

/** Lines longer than this are written to the output but not turned into log records. */
const DEFAULT_MAX_LINE_CHARS = 64 * 1024;

export interface LineSink {
  write(line: string): unknown;
}

export interface OtlpTeeOptions {
  /** Where records go; default: the global logger provider (no-op until the SDK registers one). */
  logger?: OtelLogger;
  maxLineChars?: number;
}

/**
 * A pino destination that writes every line to `out` unchanged and emits it as an OTel
 * LogRecord. pino writes synchronously inside the caller, so `context.active()` here is the
 * logging call's context. Emitting only enqueues (the SDK's batch processor bounds and exports),
 * and any failure is swallowed: logging must never throw or wait because of telemetry.
 */
export function createOtlpTee(out: LineSink, options: OtlpTeeOptions = {}): LineSink {
  const maxChars = options.maxLineChars ?? DEFAULT_MAX_LINE_CHARS;
  let logger = options.logger;
  return {
    write(line: string) {
      const result = out.write(line);
      if (line.length <= maxChars) {
        try {
          logger ??= logs.getLogger('streamtrace-demo/pino');
          emitLine(logger, line);
        } catch {
          // A malformed line or a failing SDK must not break logging.
        }
      }
      return result;
    },
  };
}

function emitLine(logger: OtelLogger, line: string): void {
  const fields = JSON.parse(line) as Record<string, unknown>;
  if (typeof fields !== 'object' || fields === null) return;
  const [severityNumber, severityText] = SEVERITIES[Number(fields['level'])] ?? [SeverityNumber.UNSPECIFIED, String(fields['level'])];
  const attributes: AnyValueMap = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!RESERVED.has(key) && value !== undefined) attributes[key] = value as AnyValueMap[string];
  }
  logger.emit({
    ...(typeof fields['time'] === 'number' ? { timestamp: fields['time'] } : {}),
    severityNumber,
    severityText,
    body: typeof fields['msg'] === 'string' ? fields['msg'] : '',
    attributes,
    context: recordContext(fields),
  });
}

/** The line's own trace_id/span_id win (they were taken when the line was made); else the active context. */
function recordContext(fields: Record<string, unknown>): Context {
  const active = context.active();
  const traceId = fields['trace_id'];
  const spanId = fields['span_id'];
  if (typeof traceId !== 'string' || typeof spanId !== 'string') return active;
  const current = trace.getSpanContext(active);
  if (current && current.traceId === traceId && current.spanId === spanId) return active;
  const flags = typeof fields['trace_flags'] === 'string' ? parseInt(fields['trace_flags'], 16) : 1;
  const spanContext = { traceId, spanId, traceFlags: Number.isNaN(flags) ? 1 : flags, isRemote: true };
  return isSpanContextValid(spanContext) ? trace.setSpanContext(active, spanContext) : active;
}
