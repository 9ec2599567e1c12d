import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';
import { pinoMixin } from '@streamtrace/node';

/** JSON lines on stdout; every line logged inside a request carries its trace and request ids. */
export function createLogger(serviceName: string, destination?: DestinationStream): Logger {
  const options = { base: { service: serviceName }, mixin: pinoMixin, level: process.env['LOG_LEVEL'] ?? 'info' };
  return destination ? pino(options, destination) : pino(options);
}
