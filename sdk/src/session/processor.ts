import type { Session } from './session.js';
import type { ProcessorHooks } from '../export/tracer.js';
import { safe } from '../diag.js';

/** Puts `session.id` on every span; the first span of a new session carries the `session.start` event. */
export function sessionProcessor(session: Session): ProcessorHooks {
  return {
    onStart(span) {
      safe('session processor', () => {
        const notice = session.touch();
        span.setAttribute('session.id', notice.id);
        if (notice.started) {
          if (notice.previousId) span.setAttribute('session.previous_id', notice.previousId);
          span.addEvent('session.start', notice.previousId ? { 'session.id': notice.id, 'session.previous_id': notice.previousId } : { 'session.id': notice.id });
        }
      });
    },
  };
}
