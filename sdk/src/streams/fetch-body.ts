import type { StreamRecorder } from './stream-recorder.js';
import { SseParser } from './sse-parser.js';
import { arrivalTime } from '../timing/clock.js';
import { log, safe } from '../diag.js';

/** The `streamtrace.cancel.reason` of an aborted fetch: its reason's name, or the reason string. */
function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error) return reason.name;
  return typeof reason === 'string' ? reason.slice(0, 128) : 'abort';
}

/** A fetch or its body failed with `error`: the stream ends as cancelled when its signal aborted it. */
export function endFailed(stream: StreamRecorder, signal: AbortSignal | undefined, error: unknown): void {
  const aborted = signal?.aborted;
  stream.end(aborted ? 'cancel' : 'error', aborted ? abortReason(signal) : error);
}

/**
 * Whether this browser fails an aborted fetch's body with the signal's reason (the spec) or its own
 * AbortError (Chromium 150); learnt at the first such body (remade-response.ts answers for `text()`…).
 */
export let abortIsReason: boolean | undefined;

/** The `streamtrace.cancel.reason` of a body the app dropped without reading it to the end. */
export const BODY_UNREAD = 'body_unread';

interface Unread {
  stream: StreamRecorder;
  pipe: AbortController;
  hold: Hold;
}

/**
 * Bodies the app let go of unread: the target is the pass-through's underlying source, a plain
 * object only our stream holds (a DOM wrapper could be collected and re-created while its stream is
 * still alive), so it is collected only when nothing can read the body any more. A read the app
 * is waiting on keeps it alive (see Hold).
 */
const unread =
  typeof FinalizationRegistry === 'function'
    ? new FinalizationRegistry<Unread>(({ stream, pipe, hold }) => {
        if (stream.ended) return;
        safe('fetch body unread', () => stream.end('cancel', BODY_UNREAD));
        // As the browser does for a collected body: release the connection.
        hold.resume?.();
        pipe.abort(BODY_UNREAD);
      })
    : undefined;

/** What the app's stream (source side) and the pipe's sink share: the sink sees it only weakly. */
interface Shared {
  controller: ReadableByteStreamController;
  done: boolean;
  /** The app waits for bytes (`pull` ran, nothing handed over since). */
  waiting?: boolean;
  /** The network body ended, the app's stream is not closed yet (see the sink's close). */
  ended?: boolean;
  /** Ends the pending `pull`: the stream then calls `pull` again when the app next waits for bytes. */
  pulled: (() => void) | undefined;
}

/**
 * The sink's strong hold on Shared, set while the app waits for bytes (from `pull` until a chunk
 * has to be queued): the network's pending read then keeps the app's read (and a `text()` whose
 * Response nobody holds) alive, as natively. Otherwise the sink sees the stream only weakly.
 */
interface Hold {
  strong: Shared | undefined;
  /** Resumes the pipe held by a chunk the app had not asked for yet (an abort waits for it too). */
  resume: (() => void) | undefined;
}

const noop = (): void => {};

/**
 * A byte-stream pass-through of `body` that reports every network read to the stream recorder.
 * Default and BYOB readers, `tee()`, `pipeTo`, `for await`, `text()`, `json()`, cancel and errors
 * behave as on the network's own body (a byte stream too), with the same bytes and error objects.
 *
 * The browser pipes the network body into a sink natively, so the only script run per read is the
 * sink's `write`. It stays at most one network read ahead of the app: a chunk the app is not
 * waiting for holds the pipe until the app reads again (the one time `pull` runs: while the app
 * keeps up, `pull` stays pending and is not called per read). The sink holds the app's stream
 * strongly only while the app waits for bytes (see Hold): a body the app dropped unread can be
 * collected while the network still holds the pipe.
 */
export function observeBody(
  body: ReadableStream<Uint8Array>,
  stream: StreamRecorder,
  eventStream: boolean,
  signal: AbortSignal | undefined,
  httpError?: string,
): ReadableStream<Uint8Array> {
  const shared: Shared = { controller: undefined as unknown as ReadableByteStreamController, done: false, pulled: undefined };
  const pipe = new AbortController();
  const piped: { promise?: Promise<void> } = {};
  const hold: Hold = { strong: undefined, resume: undefined };
  const ref = weakRef(shared);
  // As natively, an abort fails the app's next read. With nothing read ahead, the pipe hands over
  // the network body's own error (browsers differ: the signal's reason or their own AbortError). A
  // chunk read ahead or the end must not reach the app: its stream fails now, with the reason (the
  // network body, already read or ended, gives no error).
  const abortNow = (live: Shared): void => {
    safe('fetch body cancel', () => endFailed(stream, signal, signal?.reason));
    live.done = true;
    live.ended = false;
    live.controller.error(signal?.reason);
    hold.resume?.();
  };
  // Holds the stream only weakly.
  const onAbort = (): void => {
    const live = ref.deref();
    if (live !== undefined && (live.ended || (live.controller.desiredSize as number) < 0)) abortNow(live);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  const detach = (): void => signal?.removeEventListener('abort', onAbort);
  // A byte stream's chunks were transferred to us when read: ours to transfer on. Chunks of a
  // script-made body may still be used by their maker: those are copied.
  const sink = observingSink(ref, hold, stream, eventStream, isByteStream(body), signal, abortNow, detach, httpError);
  const source = byteSource(shared, hold, stream, signal, pipe, piped, detach);
  const observed = new ReadableStream(source) as ReadableStream<Uint8Array>;
  piped.promise = body.pipeTo(new WritableStream(sink), { signal: pipe.signal });
  piped.promise.catch(noop);
  // Last: nothing may throw after it (the app would get the network's Response and this stream's
  // collection would end a body that is being read).
  unread?.register(source, { stream, pipe, hold });
  return observed;
}

/** The app's side. Its closures may hold the stream; nothing the pipe holds may reach them. */
function byteSource(
  shared: Shared,
  hold: Hold,
  stream: StreamRecorder,
  signal: AbortSignal | undefined,
  pipe: AbortController,
  piped: { promise?: Promise<void> },
  detach: () => void,
): UnderlyingByteSource {
  return {
    type: 'bytes',
    start(controller) {
      shared.controller = controller;
    },
    pull() {
      if (shared.ended) return closeApp(shared, detach);
      shared.waiting = true;
      hold.strong = shared;
      const resume = hold.resume;
      hold.resume = undefined;
      resume?.();
      return new Promise<void>((resolve) => (shared.pulled = resolve));
    },
    // The app cancelled the body (reader.cancel(), body.cancel(), an aborted pipe).
    cancel(reason: unknown) {
      shared.done = true;
      shared.ended = false;
      detach();
      safe('fetch body cancel', () => stream.end('cancel', typeof reason === 'string' ? reason : signal?.aborted ? 'abort' : 'reader.cancel'));
      hold.resume?.();
      // Cancels the network body (with this reason) and releases the connection.
      pipe.abort(reason);
      return piped.promise?.then(noop, noop);
    },
  };
}

/** The pipe's side: observes each network read and hands it to the app's stream, if it is still alive. */
function observingSink(
  ref: { deref(): Shared | undefined },
  hold: Hold,
  stream: StreamRecorder,
  eventStream: boolean,
  owned: boolean,
  signal: AbortSignal | undefined,
  abortNow: (shared: Shared) => void,
  detach: () => void,
  httpError: string | undefined,
): UnderlyingSink<Uint8Array> {
  // Every event parsed out of one network read arrived at the same moment: one clock read per read.
  let readAt = 0;
  // Without content capture, the parser hands over the event sizes of one read in one call.
  const parser = eventStream
    ? new SseParser((bytes, data) => stream.chunk(bytes, data, readAt), stream.recording && stream.captureContent, (sizes, count) => stream.chunks(sizes, count, readAt))
    : undefined;
  /** The network body failed (or the fetch was aborted): the app's read rejects with that same error. */
  const fail = (error: unknown): void => {
    const shared = ref.deref();
    if (shared?.done === true) return;
    if (signal?.aborted) abortIsReason = error === signal.reason;
    safe('fetch body error', () => endFailed(stream, signal, error));
    if (shared === undefined) return;
    shared.done = true;
    shared.controller.error(error);
  };
  return {
    write(value) {
      const shared = ref.deref();
      if (shared === undefined) {
        // Nothing can read this body any more (the registry may not have run yet).
        stream.end('cancel', BODY_UNREAD);
        throw new TypeError(BODY_UNREAD);
      }
      // The app cancelled: the pipe hands over what it had read before stopping.
      if (shared.done) return;
      let chunk = value;
      try {
        readAt = arrivalTime();
        if (parser) parser.push(chunk);
        else stream.chunk(chunk.byteLength, undefined, readAt);
      } catch (error) {
        // Never let observation break the app's stream.
        log.warn('fetch body chunk failed', error);
      }
      // A byte stream cannot enqueue an empty chunk.
      if (chunk.byteLength === 0) return;
      const controller = shared.controller;
      try {
        if (!owned || chunk.byteOffset !== 0 || chunk.byteLength !== chunk.buffer.byteLength) chunk = chunk.slice();
        controller.enqueue(chunk as Uint8Array<ArrayBuffer>);
        shared.waiting = false;
      } catch (error) {
        // Not bytes (a script-made body of strings): the app's read fails, as it would natively.
        fail(error);
        throw error;
      }
      // Went straight to a waiting read: read on. Queued: wait until the app wants more.
      if ((controller.desiredSize as number) >= 0) return;
      hold.strong = undefined;
      const pulled = shared.pulled;
      shared.pulled = undefined;
      pulled?.();
      return new Promise<void>((resolve) => (hold.resume = resolve));
    },
    close() {
      const shared = ref.deref();
      if (shared === undefined) return void stream.end('cancel', BODY_UNREAD);
      // The end came through the pipe after an abort: the network body had ended just before it.
      if (!shared.done && signal?.aborted) return abortNow(shared);
      // An incomplete last event (no blank line) is discarded, as browsers do: the parser just stops.
      safe('fetch body end', () => stream.end(httpError ? 'error' : 'complete', httpError));
      // The app's stream already failed (an abort) or was cancelled: nothing left to close.
      if (shared.done) return;
      shared.done = true;
      shared.ended = true;
      if (shared.waiting) return closeApp(shared, detach);
      // The pipe reads one ahead: natively, an app that aborts right after the last chunk (before
      // the browser took in the end, a task later) fails its next read. So the app's stream closes
      // when it next waits for bytes, or after a task.
      const pulled = shared.pulled;
      shared.pulled = undefined;
      pulled?.();
      setTimeout(() => closeApp(shared, detach));
    },
    abort: fail,
  };
}

/** Closes the app's stream, once, after the network body ended. */
function closeApp(shared: Shared, detach: () => void): void {
  if (!shared.ended) return;
  shared.ended = false;
  detach();
  safe('fetch body end', () => {
    shared.controller.close();
    // A BYOB read waiting for bytes is answered "done" only through its request.
    shared.controller.byobRequest?.respond(0);
  });
}

/** Without WeakRef (older engines) the sink holds the stream strongly: unread bodies then stay open. */
function weakRef(shared: Shared): { deref(): Shared | undefined } {
  return typeof WeakRef === 'function' ? new WeakRef(shared) : { deref: () => shared };
}

function isByteStream(body: ReadableStream<Uint8Array>): boolean {
  try {
    body.getReader({ mode: 'byob' }).releaseLock();
    return true;
  } catch {
    return false;
  }
}
