// The floor of any per-chunk timer on the chunk-overhead page, in three steps (floor-*.js):
// - interception: EventSource/WebSocket message listeners (`onmessage` and `addEventListener`) are
//   wrapped in a pass-through function, fetch bodies pass through a native pipe into a byte stream the
//   app reads (as sdk/src/streams/fetch-body.ts does); nothing else;
// - `timeStamps`: plus each message's `event.timeStamp` (fetch: one clock read per network read)
//   stored in a typed array, the least a per-chunk timer records;
// - `commits`: plus the least a DOM commit time needs: a MutationObserver on the render target whose
//   records are taken after each listener (a renderer that appends inside it), one flag per chunk;
//   for fetch, where no listener of ours runs, its callback stores the time of each commit.
export function installFloor({ timeStamps = false, commits = false }) {
  const stamps = new Float64Array(1 << 16);
  const committed = new Uint8Array(1 << 16);
  let stampCount = 0;
  let observer;
  window.benchFloor = { stamps, committed, count: () => stampCount };
  if (commits) {
    observer = new MutationObserver(() => {
      stamps[stampCount++ & 0xffff] = Date.now();
    });
    window.benchSdk = {
      before(target) {
        observer.observe(target, { childList: true, subtree: true, characterData: true });
      },
    };
  }

  function wrapListeners(prototype) {
    const wrappers = new WeakMap();
    const call = (listener, thisArg, event) => (typeof listener === 'function' ? listener.call(thisArg, event) : listener.handleEvent(event));
    const wrap = (listener) => {
      let wrapper = wrappers.get(listener);
      if (wrapper !== undefined) return wrapper;
      if (commits) {
        wrapper = function (event) {
          const k = stampCount++ & 0xffff;
          stamps[k] = event.timeStamp;
          try {
            return call(listener, this, event);
          } finally {
            committed[k] = observer.takeRecords().length > 0 ? 1 : 0;
          }
        };
      } else if (timeStamps) {
        wrapper = function (event) {
          stamps[stampCount++ & 0xffff] = event.timeStamp;
          return call(listener, this, event);
        };
      } else {
        wrapper = function (event) {
          return call(listener, this, event);
        };
      }
      wrappers.set(listener, wrapper);
      return wrapper;
    };
    const add = prototype.addEventListener;
    const remove = prototype.removeEventListener;
    prototype.addEventListener = function (type, listener, options) {
      return add.call(this, type, type === 'message' && listener ? wrap(listener) : listener, options);
    };
    prototype.removeEventListener = function (type, listener, options) {
      return remove.call(this, type, (listener && wrappers.get(listener)) || listener, options);
    };
    const handler = Object.getOwnPropertyDescriptor(prototype, 'onmessage');
    Object.defineProperty(prototype, 'onmessage', {
      ...handler,
      set(listener) {
        handler.set.call(this, typeof listener === 'function' ? wrap(listener) : listener);
      },
    });
  }
  wrapListeners(EventSource.prototype);
  wrapListeners(WebSocket.prototype);

  // fetch: the body piped natively into a sink whose write hands each network read to the app's byte stream.
  const nativeFetch = window.fetch;
  window.fetch = async function fetch(...args) {
    const response = await nativeFetch.apply(this, args);
    if (response.body === null) return response;
    let controller;
    let pulled;
    let resume;
    const observed = new ReadableStream({
      type: 'bytes',
      start(c) {
        controller = c;
      },
      pull() {
        const r = resume;
        resume = undefined;
        r?.();
        return new Promise((resolve) => (pulled = resolve));
      },
    });
    response.body
      .pipeTo(
        new WritableStream({
          write(chunk) {
            if (timeStamps) stamps[stampCount++ & 0xffff] = performance.now();
            if (chunk.byteLength === 0) return;
            controller.enqueue(chunk);
            if (controller.desiredSize >= 0) return;
            const p = pulled;
            pulled = undefined;
            p?.();
            return new Promise((resolve) => (resume = resolve));
          },
          close() {
            controller.close();
          },
          abort(error) {
            controller.error(error);
          },
        }),
      )
      .catch(() => {});
    return new Response(observed, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}
