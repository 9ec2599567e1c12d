import type { StreamRecorder } from './stream-recorder.js';
import { SseParser } from './sse-parser.js';
import { arrivalTime } from '../timing/clock.js';
import { guard } from '../diag.js';

/**
 * A pass-through of `body` that reports every chunk to the stream recorder. The browser pipes the
 * network body into a TransformStream natively, so the only script run per chunk is `transform`;
 * reader, `for await`, `text()`, `json()`, cancel and errors behave as on the original body.
 */
export function observeBody(
  body: ReadableStream<Uint8Array>,
  stream: StreamRecorder,
  eventStream: boolean,
  aborted: () => boolean,
  httpError?: string,
): ReadableStream<Uint8Array> {
  // Every event parsed out of one network read arrived at the same moment: one clock read per read.
  let readAt = 0;
  // Without content capture, the parser hands over the event sizes of one read in one call.
  const parser = eventStream
    ? new SseParser((bytes, data) => stream.chunk(bytes, data, readAt), stream.recording && stream.captureContent, (sizes, count) => stream.chunks(sizes, count, readAt))
    : undefined;
  const transform = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      try {
        readAt = arrivalTime();
        if (parser) parser.push(chunk);
        else stream.chunk(chunk.byteLength, undefined, readAt);
      } catch {
        // Never let observation break the app's stream.
      }
      controller.enqueue(chunk);
    },
    flush: guard('fetch body end', () => {
      parser?.end();
      if (httpError) stream.end('error', httpError);
      else stream.end('complete');
    }),
    // The app cancelled the body (reader.cancel(), or an aborted fetch).
    cancel: guard('fetch body cancel', (reason: unknown) => {
      stream.end('cancel', typeof reason === 'string' ? reason : aborted() ? 'abort' : 'reader.cancel');
    }),
  } as Transformer<Uint8Array, Uint8Array>);
  body.pipeTo(transform.writable).catch(
    guard('fetch body pipe', (error: unknown) => stream.end(aborted() ? 'cancel' : 'error', aborted() ? 'abort' : error)),
  );
  return transform.readable;
}
