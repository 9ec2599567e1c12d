// Measures the SDK's main-thread cost the way docs/measuring.md describes: the V8 sampling
// profiler (50 µs) during a 10,000-chunk stream whose page appends every chunk to the DOM; the
// SDK's share = self time of samples in streamtrace.iife.js / all non-idle sampled time.
// Also reports JS heap growth across the stream. Usage: node sdk/scripts/measure-cost.mjs [rounds]
import { chromium } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { SourceMapConsumer } from 'source-map-js';
import { startSdkTestServer } from '../e2e-support/server.mjs';

const rounds = Number(process.argv[2] ?? 3);
let sourceMap;
const sourceMaps = new Map();
const CHUNKS = 10_000;
const server = await startSdkTestServer();
const base = server.baseUrl;
const sdkTag = `<script src="/dist/streamtrace.iife.js" data-endpoint="${base}/v1/traces" data-service-name="cost" data-propagate-to="${base}"></script>`;
const app = {
  eventsource: `window.run = () => new Promise((resolve) => {
    const out = document.getElementById('out');
    const es = new EventSource('/sse?count=${CHUNKS}&delay=1&per=10');
    es.onmessage = (e) => { const d = JSON.parse(e.data); if (d.type === 'done') { es.close(); resolve(); } else out.append(d.text); };
  });`,
  fetch: `window.run = async () => {
    const out = document.getElementById('out');
    const res = await fetch('/sse?count=${CHUNKS}&delay=1&per=10&mode=close');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) { const { done, value } = await reader.read(); if (done) break; out.append(value.length + ' '); }
  };`,
};
for (const [name, script] of Object.entries(app)) {
  server.setPage(`/${name}.html`, `<!doctype html><body><div id="out" data-streamtrace-message=""></div>${sdkTag}<script>${script}</script></body>`);
  server.setPage(`/${name}-native.html`, `<!doctype html><body><div id="out"></div><script>${script}</script></body>`);
}

/** Heap growth (after GC) across one stream, in KiB. */
async function heapGrowth(page, cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const before = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  await page.evaluate(() => window.run());
  await cdp.send('HeapProfiler.collectGarbage');
  return ((await cdp.send('Runtime.getHeapUsage')).usedSize - before) / 1024;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  // SDK_FILE=path serves another build (e.g. a non-minified one for profiling) as the SDK script;
  // SDK_FILE=a.js,b.js measures each build in turn, alternating every round (A/B on the same machine state).
  const variants = process.env.SDK_FILE ? process.env.SDK_FILE.split(',') : [undefined];
  for (const name of Object.keys(app)) {
    const sharesBy = variants.map(() => []);
    const heapsBy = variants.map(() => []);
    const sdkMsBy = variants.map(() => []);
    const cappedBy = variants.map(() => []);
    for (let round = 0; round < rounds; round++) for (let v = 0; v < variants.length; v++) {
      const sdkFile = variants[v];
      const shares = sharesBy[v];
      const heaps = heapsBy[v];
      const page = await browser.newPage();
      const cdp = await page.context().newCDPSession(page);
      if (sdkFile) await page.route('**/dist/streamtrace.iife.js', (route) => route.fulfill({ path: sdkFile, contentType: 'text/javascript' }));
      await page.goto(`${base}/${name}.html`);
      await cdp.send('HeapProfiler.collectGarbage');
      const heapBefore = (await cdp.send('Runtime.getHeapUsage')).usedSize;
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
      await cdp.send('Profiler.start');
      await page.evaluate(() => window.run());
      const { profile } = await cdp.send('Profiler.stop');
      if (process.env.PROFILE_OUT) writeFileSync(`${process.env.PROFILE_OUT}-${name}-${v}-${round}.cpuprofile`, JSON.stringify(profile));
      await cdp.send('HeapProfiler.collectGarbage');
      const heapAfter = (await cdp.send('Runtime.getHeapUsage')).usedSize;
      const byId = new Map(profile.nodes.map((n) => [n.id, n]));
      let busy = 0;
      let sdk = 0;
      let busyCapped = 0;
      let sdkCapped = 0;
      for (let i = 0; i < profile.samples.length; i++) {
        const node = byId.get(profile.samples[i]);
        const dt = profile.timeDeltas[i + 1] ?? 0;
        if (!node || node.callFrame.functionName === '(idle)') continue;
        busy += dt;
        if (node.callFrame.url.includes('streamtrace.iife.js')) sdk += dt;
        // Robust reading: on 2 shared cores a sample sometimes stands for a 10+ ms descheduling gap,
        // which lands on whatever function was running. Capping each sample at 1 ms removes that noise.
        const capped = Math.min(dt, 1000);
        busyCapped += capped;
        if (node.callFrame.url.includes('streamtrace.iife.js')) sdkCapped += capped;
      }
      cappedBy[v].push((100 * sdkCapped) / busyCapped);
      shares.push((100 * sdk) / busy);
      sdkMsBy[v].push(sdk / 1000);
      if (process.env.TOP) {
        // Minified build: name hot functions by their source position (dist has a sourcemap).
        sourceMap = sourceMaps.get(sdkFile) ?? new SourceMapConsumer(JSON.parse(readFileSync(sdkFile ? `${sdkFile}.map` : new URL('../dist/streamtrace.iife.js.map', import.meta.url), 'utf8')));
        sourceMaps.set(sdkFile, sourceMap);
        const where = (frame) => {
          const pos = sourceMap.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
          return pos.source ? `${pos.source.replace(/^.*\/src\//, '')}:${pos.line}${pos.name ? ` ${pos.name}` : ''}` : `${frame.functionName || '(anon)'}:${frame.lineNumber}:${frame.columnNumber}`;
        };
        const self = new Map();
        for (let i = 0; i < profile.samples.length; i++) {
          const node = byId.get(profile.samples[i]);
          if (!node || !node.callFrame.url.includes('streamtrace.iife.js')) continue;
          const key = where(node.callFrame);
          self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
        }
        console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `  ${k} ${(v / 1000).toFixed(1)}ms`).join('\n'), `busy ${(busy / 1000).toFixed(0)}ms`);
        if (process.env.TOP === 'lines') {
          // Hot source lines (positionTicks: sample counts per line of each function).
          const lines = new Map();
          for (const node of profile.nodes) {
            if (!node.callFrame.url.includes('streamtrace.iife.js')) continue;
            for (const { line, ticks } of node.positionTicks ?? []) {
              const pos = sourceMap.originalPositionFor({ line, column: 0 });
              const key = pos.source ? `${pos.source.replace(/^.*\/src\//, '')}:${pos.line}` : `?:${line}`;
              lines.set(key, (lines.get(key) ?? 0) + ticks);
            }
          }
          console.log('  lines (ticks):', [...lines].sort((a, b) => b[1] - a[1]).slice(0, 20).map(([k, v]) => `${k}=${v}`).join(' '));
        }
      }
      heaps.push((heapAfter - heapBefore) / 1024);
      await page.close();
    }
    const nativeHeaps = [];
    for (let round = 0; round < rounds; round++) {
      const page = await browser.newPage();
      const cdp = await page.context().newCDPSession(page);
      await page.goto(`${base}/${name}-native.html`);
      nativeHeaps.push(await heapGrowth(page, cdp));
      await page.close();
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    variants.forEach((file, v) => {
      const shares = sharesBy[v];
      console.log(
        `${name.padEnd(12)} ${file ? `[${file}] ` : ''}SDK self time ${median(shares).toFixed(2)}% of busy main thread (rounds: ${shares.map((s) => s.toFixed(2)).join(', ')}; ` +
          `SDK ms: ${sdkMsBy[v].map((x) => x.toFixed(0)).join(', ')}; samples capped at 1 ms: median ${median(cappedBy[v]).toFixed(2)}%); ` +
          `heap growth after GC ${median(heapsBy[v]).toFixed(0)} KiB with the SDK, ${median(nativeHeaps).toFixed(0)} KiB without`,
      );
    });
  }
} finally {
  await browser.close();
  await server.close();
}
