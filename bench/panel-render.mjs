// DevTools panel UI cost (issue #6 item 5): the standalone panel page served by the real dev
// collector, holding 1,000 chat messages whose newest is a 5,000-span agent trace, in headless
// Chromium. Per run, a fresh page (`/?messages=1000`):
//   list:  page load → the list shows all messages, painted (the counter says N traces and a row has
//          a laid-out box on screen; polled every frame from the first one, by an init script),
//          with in-page steps (HTML, list request and answer, the panel's .js, UI and rows in the
//          DOM). Floors of the same run, same collector, same probe: a blank page and the list's
//          first frame saved as static HTML (bench/lib/panel-floor.mjs). Current panel: the
//          collector puts the list (what GET /api/traces answers) in the page itself and the page's
//          inline script draws the first frame from it, no request (the panel's module renders over
//          it after that paint); older builds: one GET /api/traces whose summaries carry the rows,
//          or bulk pages GET /api/traces?spans=1&offset=…, or one GET /api/v3/traces/{id} per
//          message. Split into HTTP time and the rest (none for the list in the page).
//   trace: click on the big (newest) message → its waterfall rows in the DOM and painted;
//          then the panel's backend lookup (polls until the span count settles) and its long tasks;
//          a scroll to the waterfall's middle; another message, then the big one again (code warm);
//          the oldest message (not loaded by a listing panel: fetched on open); and a new page
//          opened on a link to the big trace (`?trace=`), navigation → waterfall painted.
//   search: a search typed and cleared, the list filtered and re-rendered from the store.
//   heap:  V8 heap used after GC with the list loaded, and with the big trace open.
//   CPU:   CDP Performance.getMetrics deltas per phase in main-thread time (threadTicks): TaskDuration,
//          ScriptDuration (Preact renders in microtasks, which it does not count), Layout + RecalcStyle.
// All times are measured in the page with performance.now(); medians of N runs (min–max).
// `node bench/panel-render.mjs [--runs 5] [--messages 1000] [--spans 5000] [--panel-dir DIR]
//   [--baseline-dir DIR] [--json]` — with --baseline-dir, a second collector serves that build and
//   every run measures both, in alternating order.
import { launchChromium } from './lib/browser.mjs';
import { floorDir, measureFloor, writeSnapshot } from './lib/panel-floor.mjs';
import { parseArgs } from './lib/args.mjs';
import { median, printTable } from './lib/table.mjs';
import { panelDataSet, exportBodies } from './lib/panel-traces.mjs';
import { panelBuildDir, postBodies, startCollector } from './lib/panel-collector.mjs';
import { cpuDelta, cpuMetrics } from './lib/page-cpu.mjs';
import { clickUntilWaterfall, installProbe, listPainted, lookupSettled, scrollWaterfall, searchAndClear } from './lib/panel-probe.mjs';

export const TARGET_MS = 200;

/**
 * What this machine charges for any page in a fresh context, measured in the same run, from the
 * same collector, with the same probe (the counter text and a message row on screen): a blank page
 * (two elements), and the panel's own painted DOM saved as static HTML (same elements and CSS, no script).
 */
const FLOOR_PAGES = [{ name: 'blank', path: '/floor-blank.html' }, { name: 'static', path: '/floor-static.html' }];

async function heapAfterGc(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

/** One fresh page: list load, click on the big trace, lookup settle, a scroll, heap. */
export async function measurePanel({ browser, url, messages, bigTraceId, otherTraceId, coldTraceId, bigSpans }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    // Main-thread CPU time (thread ticks): what the panel costs, apart from waiting for a core
    // on a shared machine; the in-page times are wall clock, what a user waits.
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await cdp.send('HeapProfiler.enable');
    await page.addInitScript(installProbe, { listCount: messages });
    const cpu0 = await cpuMetrics(cdp);
    await page.goto(`${url}/?messages=${messages}`, { waitUntil: 'load' });
    const list = await page.evaluate(listPainted, messages);
    const cpu1 = await cpuMetrics(cdp);
    const search = await page.evaluate(searchAndClear, { text: 'session-1', total: messages });
    const heapList = await heapAfterGc(cdp);
    const cpu2 = await cpuMetrics(cdp);
    const click = await page.evaluate(clickUntilWaterfall, bigTraceId);
    const cpu3 = await cpuMetrics(cdp);
    const settle = await page.evaluate(lookupSettled, { sinceMs: click.startMs, spans: bigSpans });
    const cpu4 = await cpuMetrics(cdp);
    const scroll = await page.evaluate(scrollWaterfall, 0.5);
    // Again, once the panel's code has run: another message, then back to the big one.
    await page.evaluate(clickUntilWaterfall, otherTraceId);
    const cpu5 = await cpuMetrics(cdp);
    const again = await page.evaluate(clickUntilWaterfall, bigTraceId);
    const cpu6 = await cpuMetrics(cdp);
    const heapTrace = await heapAfterGc(cdp);
    // A message whose spans the panel has not loaded yet (panels that list from summaries fetch
    // them on open; older panels hold every trace).
    await page.evaluate(async (traceId) => {
      const list = document.querySelector('.message-list');
      list.scrollTop = list.scrollHeight;
      await window.__bench.paintedWhen(() => document.querySelector(`.message-row[data-trace-id="${traceId}"]`) !== null);
    }, coldTraceId);
    const cold = await page.evaluate(clickUntilWaterfall, coldTraceId);
    // A link to the big trace (`?trace=`, as an alert's exemplar opens it): a new page, timed from
    // its navigation; the trace comes from the backend lookup, not from the list.
    await page.goto(`${url}/?messages=${messages}&trace=${bigTraceId}`, { waitUntil: 'load' });
    const link = await page.evaluate(
      (selector) => window.__bench.paintedWhen(() => document.querySelector(selector) !== null),
      `.trace-view[data-trace-id="${bigTraceId}"] .waterfall-rows [data-span-id]`,
    );
    return {
      list: { ...list, cpu: cpuDelta(cpu0, cpu1) },
      search,
      click: { ms: click.paintedMs - click.startMs, spanRowsInDom: click.spanRowsInDom, cpu: cpuDelta(cpu2, cpu3) },
      settle: { ...settle, ms: settle.settledMs - click.startMs, cpu: cpuDelta(cpu3, cpu4) },
      scroll,
      again: { ms: again.paintedMs - again.startMs, cpu: cpuDelta(cpu5, cpu6) },
      cold: { ms: cold.paintedMs - cold.startMs },
      link: { ms: link },
      heap: { listBytes: heapList, traceBytes: heapTrace },
    };
  } finally {
    await context.close();
  }
}

export async function runPanelRender({ runs = 5, messages = 1000, spans = 5000, panelDir = panelBuildDir, baselineDir, log = () => {} }) {
  const data = panelDataSet({ messages, bigSpans: spans });
  const bodies = exportBodies(data.traces);
  const variants = [{ name: 'current', dir: panelDir }, ...(baselineDir ? [{ name: 'baseline', dir: baselineDir }] : [])];
  // The floor pages are served by the current build's collector, from a copy of its folder.
  const floor = await floorDir(panelDir, messages);
  const collectors = [];
  let browser;
  const results = [];
  const floors = [];
  try {
    for (const variant of variants) {
      const collector = await startCollector(variant === variants[0] ? floor.dir : variant.dir);
      collectors.push(collector);
      variant.url = collector.url;
      const started = performance.now();
      await postBodies(collector.url, bodies);
      log(`${variant.name}: ${collector.url} (${variant.dir}), posted ${data.spanCount} spans in ${bodies.length} batches (${(bodies.reduce((s, b) => s + b.length, 0) / 1e6).toFixed(1)} MB) in ${(performance.now() - started).toFixed(0)} ms`);
    }
    browser = await launchChromium();
    // Not counted: a load of the current panel whose painted DOM becomes the static floor page.
    await writeSnapshot({ browser, url: variants[0].url, messages, dir: floor.dir });
    const pages = [...variants, ...FLOOR_PAGES.map((page) => ({ ...page, url: variants[0].url }))];
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? pages : [...pages].reverse();
      for (const variant of order) {
        if (variant.path) {
          const r = await measureFloor({ browser, url: `${variant.url}${variant.path}`, messages });
          floors.push({ run, page: variant.name, ...r });
          log(`run ${run + 1} floor ${variant.name.padEnd(8)} painted ${r.paintedMs.toFixed(0)} ms  cpu ${r.cpu.taskMs.toFixed(0)} ms`);
          continue;
        }
        const r = await measurePanel({ browser, url: variant.url, messages, bigTraceId: data.bigTraceId, otherTraceId: data.traces.at(-2).traceId, coldTraceId: data.traces[0].traceId, bigSpans: spans });
        results.push({ run, variant: variant.name, ...r });
        log(`run ${run + 1} ${variant.name.padEnd(8)} list ${r.list.paintedMs.toFixed(0)} ms  search ${r.search.filterMs.toFixed(0)}/${r.search.clearMs.toFixed(0)} ms  click→waterfall ${r.click.ms.toFixed(1)} ms (cpu ${r.click.cpu.taskMs.toFixed(0)}), again ${r.again.ms.toFixed(1)} ms  oldest ${r.cold.ms.toFixed(1)} ms  link→big ${r.link.ms.toFixed(0)} ms  lookup long tasks ${r.settle.longTaskMs.toFixed(0)} ms (max ${r.settle.longestTaskMs.toFixed(0)})  scroll ${r.scroll.ms.toFixed(1)} ms  heap ${(r.heap.listBytes / 2 ** 20).toFixed(1)}/${(r.heap.traceBytes / 2 ** 20).toFixed(1)} MiB`);
      }
    }
  } finally {
    await browser?.close();
    for (const collector of collectors) await collector.close();
    await floor.remove();
  }
  return { variants: variants.map((v) => v.name), data: { messages, spans, totalSpans: data.spanCount, batches: bodies.length }, results, floors };
}

const ms = (x) => `${x.toFixed(1)} ms`;
const mib = (x) => `${(x / 2 ** 20).toFixed(1)} MiB`;
function stat(all, format) {
  const values = all.filter((value) => typeof value !== 'number' || Number.isFinite(value));
  if (!values.length) return '—';
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

export function panelTables({ variants, results, floors = [], data: { messages } }) {
  const rows = [];
  const floorOf = (page, run) => floors.find((f) => f.page === page && f.run === run)?.paintedMs;
  const add = (label, get, format = ms, ratio = false) => {
    const cells = variants.map((variant) => {
      const values = results.filter((r) => r.variant === variant).map(get);
      return `${stat(values, format)}${ratio ? ` ×${(median(values.filter(Number.isFinite)) / TARGET_MS).toFixed(2)}` : ''}`;
    });
    rows.push([label, ...cells]);
  };
  add('click → waterfall painted (target 200 ms)', (r) => r.click.ms, ms, true);
  add('  main-thread CPU: all tasks', (r) => r.click.cpu.taskMs, ms);
  add('  main-thread CPU: script', (r) => r.click.cpu.scriptMs, ms);
  add('  main-thread CPU: style + layout', (r) => r.click.cpu.layoutMs, ms);
  add('  span rows in DOM', (r) => r.click.spanRowsInDom, String);
  add('click again (code warm) → waterfall painted', (r) => r.again.ms, ms, true);
  add('  main-thread CPU: all tasks', (r) => r.again.cpu.taskMs, ms);
  add('click on the oldest message → waterfall painted', (r) => r.cold.ms, ms, true);
  add('link ?trace=<big> → page load → waterfall painted', (r) => r.link.ms, ms, true);
  add('load → list painted (target 200 ms)', (r) => r.list.paintedMs, ms, true);
  if (floors.length) {
    add('  ÷ blank-page floor of the same run', (r) => r.list.paintedMs / floorOf('blank', r.run), (x) => `×${x.toFixed(2)}`);
    add('  ÷ static-page floor of the same run', (r) => r.list.paintedMs / floorOf('static', r.run), (x) => `×${x.toFixed(2)}`);
    for (const [page, label] of [['blank', 'floor: blank page, fresh context → painted'], ['static', 'floor: the painted list as static HTML → painted']]) {
      const values = floors.filter((f) => f.page === page);
      const cpu = values.map((f) => f.cpu.taskMs);
      rows.push([label, `${stat(values.map((f) => f.paintedMs), ms)}`, ...variants.slice(1).map(() => '(same run)')]);
      rows.push(['  main-thread CPU: all tasks', stat(cpu, ms), ...variants.slice(1).map(() => '')]);
    }
  }
  const steps = [['htmlMs', 'HTML received'], ['listRequestMs', 'list requested'], ['codeMs', "panel's .js files received"], ['listAnswerMs', 'list answer received'], ['uiMs', 'UI (toolbar) in the DOM'], ['rowsMs', 'message rows in the DOM']];
  for (const [key, label] of steps) {
    if (results.some((r) => r.list.steps?.[key] !== undefined)) add(`  after navigation start: ${label}`, (r) => r.list.steps?.[key] ?? NaN, ms);
  }
  add('  HTTP requests before the paint', (r) => r.list.requests, String);
  add('  HTTP: list request → last data response', (r) => r.list.lastDataMs - r.list.listRequestStartMs, ms);
  add('  first data → list painted', (r) => r.list.paintedMs - r.list.firstDataMs, ms);
  add('  last data → list painted (parse + render)', (r) => r.list.paintedMs - r.list.lastDataMs, ms, true);
  add('  bytes received before the paint', (r) => r.list.bytes, mib);
  add('  main-thread CPU: all tasks', (r) => r.list.cpu.taskMs, ms);
  add('  main-thread CPU: script', (r) => r.list.cpu.scriptMs, ms);
  add('  message rows in DOM', (r) => r.list.rowsInDom, String);
  add('search typed → filtered list painted', (r) => r.search.filterMs, ms, true);
  add(`search cleared → ${messages}-message list painted`, (r) => r.search.clearMs, ms, true);
  add('backend lookup after click: until settled', (r) => r.settle.ms, ms);
  add('  trace GET (each, network)', (r) => median(r.settle.gets.map((g) => g.ms)), ms);
  add('  long tasks, total', (r) => r.settle.longTaskMs, ms);
  add('  longest task', (r) => r.settle.longestTaskMs, ms);
  add('  main-thread CPU: all tasks', (r) => r.settle.cpu.taskMs, ms);
  add('  main-thread CPU: script', (r) => r.settle.cpu.scriptMs, ms);
  add('scroll waterfall to middle → painted', (r) => r.scroll.ms, ms);
  add(`heap after GC: ${messages} messages`, (r) => r.heap.listBytes, mib);
  add('heap after GC: + big trace open', (r) => r.heap.traceBytes, mib);
  return { headers: ['', ...variants], rows };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2), { runs: 5, messages: 1000, spans: 5000, 'panel-dir': panelBuildDir, 'baseline-dir': '', json: false });
  const started = performance.now();
  const measured = await runPanelRender({
    runs: opts.runs, messages: opts.messages, spans: opts.spans, panelDir: opts['panel-dir'],
    ...(opts['baseline-dir'] ? { baselineDir: opts['baseline-dir'] } : {}),
    log: (line) => console.error(line),
  });
  const { headers, rows } = panelTables(measured);
  console.log(`\nStandalone panel, ${measured.data.messages} messages (${measured.data.totalSpans} spans; newest message ${measured.data.spans} spans), median of ${opts.runs} (min–max); ×N = median / ${TARGET_MS} ms\n`);
  printTable(headers, rows);
  if (opts.json) console.log(JSON.stringify(measured, null, 2));
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
