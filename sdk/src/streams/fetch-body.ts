import type { StreamRecorder } from './stream-recorder.js';
import { SseParser } from './sse-parser.js';
import { arrivalTime } from '../timing/clock.js';
import { log } from '../diag.js';

/** The `streamtrace.cancel.reason` of a body the app dropped without reading it to the end. */
export const BODY_UNREAD = 'body_unread';

interface Unread {
  stream: StreamRecorder;
  reader: ReadableStreamDefaultReader<Uint8Array>;
}

/**
 * Bodies the app let go of unread: the target is the pass-through's underlying source, a plain
 * object only our stream holds (a DOM wrapper could be collected and re-created while its stream is
 * still alive), so it is collected only when nothing can read the body any more. A read in flight
 * keeps it alive (the network's pending read holds our callback, which holds the controller).
 */
let unread: FinalizationRegistry<Unread> | null | undefined;
function unreadRegistry(): FinalizationRegistry<Unread> | null {
  if (unread === undefined) {
    unread =
      typeof FinalizationRegistry === 'function'
        ? new FinalizationRegistry<Unread>(({ stream, reader }) => {
            if (stream.ended) return;
            try {
              stream.end('cancel', BODY_UNREAD);
            } catch (error) {
              log.warn('fetch body unread failed', error);
            }
            // As the browser does for a collected body: release the connection.
            reader.cancel(BODY_UNREAD).catch(() => {});
          })
        : null;
  }
  return unread;
}

/**
 * A byte-stream pass-through of `body` that reports every network read to the stream recorder. It
 * pulls only when the app reads (no read-ahead: a chunk's arrival is the read that delivered it);
 * default and BYOB readers, `tee()`, `pipeTo`, `for await`, `text()`, `json()`, cancel and errors
 * behave as on the network's own body (a byte stream too), with the same bytes and error objects.
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
  // A byte stream's chunks were transferred to us when read: ours to transfer on. Chunks of a
  // script-made body may still be used by their maker: those are copied.
  const owned = isByteStream(body);
  const reader = body.getReader();
  let cancelled = false;
  let controller!: ReadableByteStreamController;

  const onRead = (result: ReadableStreamReadResult<Uint8Array>): Promise<void> | void => {
    if (cancelled) return;
    if (result.done) {
      try {
        parser?.end();
        if (httpError) stream.end('error', httpError);
        else stream.end('complete');
      } catch (error) {
        log.warn('fetch body end failed', error);
      }
      controller.close();
      // A BYOB read waiting for bytes is answered "done" only through its request.
      controller.byobRequest?.respond(0);
      return;
    }
    let chunk = result.value;
    try {
      readAt = arrivalTime();
      if (parser) parser.push(chunk);
      else stream.chunk(chunk.byteLength, undefined, readAt);
    } catch (error) {
      // Never let observation break the app's stream.
      log.warn('fetch body chunk failed', error);
    }
    // A byte stream cannot enqueue an empty chunk: read on.
    if (chunk.byteLength === 0) return reader.read().then(onRead, onError);
    try {
      if (!owned || chunk.byteOffset !== 0 || chunk.byteLength !== chunk.buffer.byteLength) chunk = chunk.slice();
      controller.enqueue(chunk as Uint8Array<ArrayBuffer>);
    } catch (error) {
      // Not bytes (a script-made body of strings): the app's read fails as it would natively.
      reader.cancel(error).catch(() => {});
      onError(error);
    }
  };
  const onError = (error: unknown): never => {
    if (!cancelled) {
      try {
        stream.end(aborted() ? 'cancel' : 'error', aborted() ? 'abort' : error);
      } catch (failure) {
        log.warn('fetch body error failed', failure);
      }
    }
    // The app's read rejects with the network's own error, as it would natively.
    throw error;
  };

  const source: UnderlyingByteSource = {
    type: 'bytes',
    start(c) {
      controller = c;
    },
    pull: () => reader.read().then(onRead, onError),
    // The app cancelled the body (reader.cancel(), body.cancel(), an aborted pipe).
    cancel: (reason: unknown) => {
      cancelled = true;
      try {
        stream.end('cancel', typeof reason === 'string' ? reason : aborted() ? 'abort' : 'reader.cancel');
      } catch (error) {
        log.warn('fetch body cancel failed', error);
      }
      return reader.cancel(reason);
    },
  };
  const observed = new ReadableStream(source) as ReadableStream<Uint8Array>;
  unreadRegistry()?.register(source, { stream, reader });
  return observed;
}

function isByteStream(body: ReadableStream<Uint8Array>): boolean {
  try {
    body.getReader({ mode: 'byob' }).releaseLock();
    return true;
  } catch {
    return false;
  }
}
