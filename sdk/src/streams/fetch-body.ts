import type { StreamRecorder } from './stream-recorder.js';
import { SseParser } from './sse-parser.js';

/**
 * A pass-through of `body` that reports every read to the stream recorder. It pulls only when the
 * app reads (highWaterMark 0), so backpressure and timing stay the app's; cancel and errors are
 * forwarded unchanged.
 */
export function observeBody(body: ReadableStream<Uint8Array>, stream: StreamRecorder, eventStream: boolean, aborted: () => boolean, httpError?: string): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  const parser = eventStream
    ? new SseParser((bytes, data) => stream.chunk(bytes, data), stream.recording && stream.captureContent)
    : undefined;
  const safeObserve = (value: Uint8Array): void => {
    try {
      if (parser) parser.push(value);
      else stream.chunk(value.byteLength);
    } catch {
      // Never let observation break the app's stream.
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          stream.end(aborted() ? 'cancel' : 'error', error);
          controller.error(error);
          return;
        }
        if (result.done) {
          parser?.end();
          if (httpError) stream.end('error', httpError);
          else stream.end('complete');
          controller.close();
          return;
        }
        safeObserve(result.value);
        controller.enqueue(result.value);
      },
      cancel(reason) {
        stream.end('cancel', typeof reason === 'string' ? reason : 'reader.cancel');
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
