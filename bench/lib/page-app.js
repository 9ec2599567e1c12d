// The bench page's app: consumes a stream over one transport and appends every chunk to the DOM.
// Loaded before any SDK; `window.benchSdk` (set by our quick start) marks a chat message around the stream.
window.benchLoafs = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.benchLoafs.push({
        startTime: entry.startTime,
        duration: entry.duration,
        blockingDuration: entry.blockingDuration,
        scripts: entry.scripts.map((s) => ({ sourceURL: s.sourceURL, duration: s.duration, invoker: s.invoker })),
      });
    }
  }).observe({ type: 'long-animation-frame', buffered: true });
} catch {
  window.benchLoafs = null;
}

window.runStream = async function runStream(transport, count) {
  const out = document.getElementById('out');
  out.textContent = '';
  const sdk = window.benchSdk;
  const handle = sdk && sdk.before ? sdk.before(out) : undefined;
  const started = performance.now();
  let chunks = 0;
  let paragraph;
  // Returns true once the stream's terminal event arrived. A new paragraph every 100 chunks keeps
  // layout per frame bounded (one ever-growing text block would make layout, not the SDKs, the story).
  const onData = (data) => {
    const event = JSON.parse(data);
    if (event.type === 'delta') {
      if (chunks % 100 === 0) paragraph = out.appendChild(document.createElement('p'));
      paragraph.append(event.text);
      chunks++;
      return false;
    }
    return event.type === 'done' || event.type === 'error';
  };
  const streamUrl = `/stream/sse?n=${count}`;
  if (transport === 'eventsource') {
    await new Promise((resolve, reject) => {
      const source = new EventSource(streamUrl);
      source.onmessage = (event) => {
        if (onData(event.data)) { source.close(); resolve(); }
      };
      source.onerror = () => { source.close(); reject(new Error('EventSource failed')); };
    });
  } else if (transport === 'websocket') {
    await new Promise((resolve, reject) => {
      const socket = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/stream/ws?n=${count}`);
      socket.onmessage = (event) => {
        if (onData(event.data)) { socket.close(); resolve(); }
      };
      socket.onerror = () => reject(new Error('WebSocket failed'));
    });
  } else if (transport === 'fetch') {
    const response = await fetch(streamUrl, { headers: { accept: 'text/event-stream' } });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of block.split('\n')) if (line.startsWith('data: ')) onData(line.slice(6));
      }
    }
  } else {
    throw new Error(`unknown transport ${transport}`);
  }
  const streamMs = performance.now() - started;
  window.benchStreamWindow = { start: started, end: started + streamMs };
  if (sdk && sdk.after) await sdk.after(handle);
  return { chunks, streamMs };
};
