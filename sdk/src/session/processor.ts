import type { Span } from '@opentelemetry/sdk-trace-base';
import type { ProcessorHooks } from '../export/tracer.js';
import type { Session } from './session.js';
import { safe } from '../diag.js';

/** Puts `session.id` on every span; the first span of a new session carries the `session.start` event. */
export class SessionSpanProcessor implements ProcessorHooks {
  private readonly sessionRef: Session;

  constructor(session: Session) {
    this.sessionRef = session;
  }

  onStart(span: Span): void {
    safe('session processor', () => {
      const notice = this.sessionRef.touch();
      span.setAttribute('session.id', notice.id);
      if (notice.started) {
        if (notice.previousId) span.setAttribute('session.previous_id', notice.previousId);
        span.addEvent('session.start', notice.previousId ? { 'session.id': notice.id, 'session.previous_id': notice.previousId } : { 'session.id': notice.id });
      }
    });
  }
}
