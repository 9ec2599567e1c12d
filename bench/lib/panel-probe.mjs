// In-page probes (run inside the panel page, timed with performance.now()). "Painted" is taken
// after the frame that first shows the DOM change: a MessageChannel message posted from inside
// requestAnimationFrame fires when that frame's commit ends (measuring.md: within a frame of
// presentation in headless Chromium).

/**
 * Installed before the page's own scripts (an init script): long tasks are recorded from the start,
 * and, given `listCount`, every frame from the first one on checks whether the message list is
 * visible, so the list's paint is timed the same however early it comes (also before the load
 * event, when the bench's first evaluate could not yet be listening).
 */
export function installProbe({ listCount, snapshot = false } = {}) {
  const bench = { longTasks: [] };
  window.__bench = bench;
  // One GET per message: the default buffer (250 entries) would drop most of them.
  performance.setResourceTimingBufferSize(100_000);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
  /** Resolves with the after-paint time of the first frame in which `test()` holds. */
  bench.paintedWhen = (test, timeoutMs = 60_000) =>
    new Promise((resolve, reject) => {
      const deadline = performance.now() + timeoutMs;
      const frame = () => {
        if (test()) {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve(performance.now());
          channel.port2.postMessage(0);
        } else if (performance.now() > deadline) reject(new Error('timed out waiting for the panel'));
        else requestAnimationFrame(frame);
      };
      requestAnimationFrame(frame);
    });
  /**
   * The list is on screen: the counter says it holds `count` traces and a message row has a box
   * inside the viewport (laid out, not hidden, not scrolled away).
   */
  bench.listVisible = (count) => {
    const counts = document.querySelector('.counts')?.textContent ?? '';
    if (!counts.startsWith(`${count} traces`)) return false;
    const row = document.querySelector('.message-row');
    if (!row) return false;
    const box = row.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth;
  };
  if (listCount === undefined) return;
  bench.listPainted = bench.paintedWhen(() => {
    if (!bench.listVisible(listCount)) return false;
    // The DOM of the frame that first shows the list, without scripts and preload links (the
    // static floor page of panel-floor.mjs); taken only in the load that asks for it.
    if (snapshot) {
      const root = document.documentElement.cloneNode(true);
      for (const element of root.querySelectorAll('script, link')) element.remove();
      bench.snapshot = `<!doctype html>\n${root.outerHTML}\n`;
    }
    return true;
  });
  // When the panel's UI (its toolbar) and then its first message row enter the DOM (drawn by the
  // standalone page's inline script, for panels that draw their first frame from the page).
  bench.marks = {};
  const observer = new MutationObserver(() => {
    if (bench.marks.uiMs === undefined && document.querySelector('.toolbar') !== null) bench.marks.uiMs = performance.now();
    if (document.querySelector('.message-row') !== null) {
      bench.marks.rowsMs = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** Page load (time origin) until the list says it holds `count` traces and shows its rows, painted. */
export async function listPainted(count) {
  const at = await (window.__bench.listPainted ?? window.__bench.paintedWhen(() => window.__bench.listVisible(count)));
  // What the list was drawn from, answered before it was painted: the list with its rows
  // (`/api/traces?limit=N`), or older panels' bulk pages (`…&spans=1`) or per-trace GETs.
  const data = performance.getEntriesByType('resource').filter((entry) => /\/api\/(v3\/)?traces/.test(entry.name) && entry.responseEnd <= at);
  // Where the load's time went (ms after navigation start; undefined where the page had no such step).
  const resources = performance.getEntriesByType('resource');
  const list = resources.find((entry) => /\/api\/traces\?limit=\d+$/.test(entry.name));
  const scripts = resources.filter((entry) => new URL(entry.name).pathname.endsWith('.js'));
  const steps = {
    htmlMs: performance.getEntriesByType('navigation')[0]?.responseEnd,
    listRequestMs: list?.startTime,
    listAnswerMs: list?.responseEnd,
    codeMs: scripts.length ? Math.max(...scripts.map((entry) => entry.responseEnd)) : undefined,
    uiMs: window.__bench.marks?.uiMs,
    rowsMs: window.__bench.marks?.rowsMs,
  };
  return {
    paintedMs: at,
    requests: data.length,
    listRequestStartMs: data.length ? Math.min(...data.map((entry) => entry.startTime)) : NaN,
    firstDataMs: data.length ? Math.min(...data.map((entry) => entry.responseEnd)) : NaN,
    lastDataMs: data.length ? Math.max(...data.map((entry) => entry.responseEnd)) : NaN,
    bytes: data.reduce((sum, entry) => sum + (entry.encodedBodySize || 0), 0),
    rowsInDom: document.querySelectorAll('.message-row').length,
    steps,
  };
}

/** Clicks a message row; resolves when that trace's waterfall rows are in the DOM and painted. */
export async function clickUntilWaterfall(traceId) {
  const row = document.querySelector(`.message-row[data-trace-id="${traceId}"]`);
  if (!row) throw new Error(`message ${traceId} is not in the list`);
  // Clicked from a task of its own (not inside the DevTools evaluate), as a user's click would be.
  const start = await new Promise((resolve) => setTimeout(() => {
    const at = performance.now();
    row.click();
    resolve(at);
  }, 0));
  const selector = `.trace-view[data-trace-id="${traceId}"] .waterfall-rows [data-span-id]`;
  const painted = await window.__bench.paintedWhen(() => document.querySelector(selector) !== null);
  return { startMs: start, paintedMs: painted, spanRowsInDom: document.querySelectorAll(selector).length };
}

/**
 * After the click: the panel looks the trace up on the collector until it settles. Resolves when
 * the lookup line reports the final span count, with the trace GETs and long tasks since `sinceMs`.
 */
export async function lookupSettled({ sinceMs, spans }) {
  const settled = await window.__bench.paintedWhen(() => document.querySelector('.lookup-state')?.textContent === `backend: ${spans} spans`);
  const gets = performance.getEntriesByType('resource').filter((entry) => entry.startTime >= sinceMs && entry.name.includes('/api/v3/traces/'));
  const tasks = window.__bench.longTasks.filter((task) => task.start >= sinceMs && task.start <= settled);
  return {
    settledMs: settled,
    gets: gets.map((entry) => ({ ms: entry.responseEnd - entry.startTime, bytes: entry.encodedBodySize })),
    longTaskMs: tasks.reduce((sum, task) => sum + task.duration, 0),
    longestTaskMs: Math.max(0, ...tasks.map((task) => task.duration)),
    longTasks: tasks.length,
  };
}

/** Scrolls the waterfall to `fraction` of its height; resolves when the rows there are painted. */
export async function scrollWaterfall(fraction) {
  const list = document.querySelector('.waterfall-rows');
  const target = Math.round((list.scrollHeight - list.clientHeight) * fraction);
  const start = performance.now();
  list.scrollTop = target;
  const painted = await window.__bench.paintedWhen(() => {
    for (const row of list.querySelectorAll('.vlist-row')) {
      const box = row.getBoundingClientRect();
      const view = list.getBoundingClientRect();
      if (box.top >= view.top && box.top < view.bottom) return true;
    }
    return false;
  });
  return { ms: painted - start, rowsInDom: list.querySelectorAll('[data-span-id]').length };
}

/**
 * Types `text` into the search box, then clears it: each until the list shows the filtered (then
 * the full) set, painted. Both filter, sort and render the list from the panel's store (no HTTP).
 */
export async function searchAndClear({ text, total }) {
  const input = document.querySelector('input.search');
  const type = (value) => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  };
  const counts = () => document.querySelector('.counts')?.textContent ?? '';
  let start = performance.now();
  type(text);
  const filtered = await window.__bench.paintedWhen(() => counts().includes(` of ${total} traces`));
  const filterMs = filtered - start;
  const shown = Number(counts().split(' ')[0]);
  start = performance.now();
  type('');
  const cleared = await window.__bench.paintedWhen(() => counts().startsWith(`${total} traces`));
  return { filterMs, shown, clearMs: cleared - start };
}
