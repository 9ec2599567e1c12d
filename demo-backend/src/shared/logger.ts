import { destination, pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { pinoMixin } from '@streamtrace/node';
import { createOtlpTee } from './logger-otlp-stream.js';

/**
 * JSON lines on stdout (or `target`); every line logged inside a request carries
 * `trace_id`, `span_id`, `session.id` and `streamtrace.message.id`, and is also emitted as an
 * OTLP log record (exported by the logs SDK that register.js starts; a no-op without it).
 */
export function createLogger(serviceName: string, target?: DestinationStream): Logger {
  const options = { base: { service: serviceName }, mixin: pinoMixin, level: process.env['LOG_LEVEL'] ?? 'info' };
  return pino(options, createOtlpTee(target ?? destination(1)) as DestinationStream);
}
