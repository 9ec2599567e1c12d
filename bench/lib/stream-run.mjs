// One measured stream: fresh page with one SDK (or after `priorStreams` earlier ones on that page), CPU profile (50 µs sampling) and GC'd heap around the stream.
import { openPage } from './browser.mjs';
import { summarize } from './profile.mjs';

export const TRANSPORTS = ['eventsource', 'websocket', 'fetch'];
const EMPTY_PROFILE = { nodes: [], samples: [], timeDeltas: [], startTime: 0, endTime: 0 };
export const sdkUrlMatcher = (id) => (url) => url.includes(`/sdk/${id}/`);

/**
 * @returns {Promise<{sdk: string, transport: string, chunks: number, streamMs: number, summary: ReturnType<typeof summarize>,
 *   heapGrowth: number, sinkRequests: number, sinkBytes: number, profile: object, loafs: object[] | null}>}
 */
export async function measureStream({ browser, server, sdk, transport, chunks, tailMs = 600, settleMs = 300, profile: profiling = true, maxSampleUs = Infinity, priorStreams = 0 }) {
  let firstRequest = server.sink.requests.length;
  const { context, page, cdp } = await openPage(browser, `${server.url}/page?sdk=${sdk}`);
  try {
    await page.waitForTimeout(settleMs);
    // Earlier answers on the same page, not measured: the measured stream is then a later one, as in a chat.
    for (let k = 0; k < priorStreams; k++) {
      await page.evaluate(([t, n]) => window.runStream(t, n), [transport, chunks]);
      await page.waitForTimeout(tailMs);
      firstRequest = server.sink.requests.length;
    }
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('HeapProfiler.collectGarbage');
    const before = await cdp.send('Runtime.getHeapUsage');
    if (profiling) await cdp.send('Profiler.start');
    const result = await page.evaluate(([t, n]) => window.runStream(t, n), [transport, chunks]);
    if (sdk !== 'none') await page.waitForTimeout(tailMs);
    const profile = profiling ? (await cdp.send('Profiler.stop')).profile : EMPTY_PROFILE;
    await cdp.send('HeapProfiler.collectGarbage');
    const after = await cdp.send('Runtime.getHeapUsage');
    const { loafs, window: streamWindow } = await page.evaluate(() => ({ loafs: window.benchLoafs, window: window.benchStreamWindow }));
    if (result.chunks !== chunks) throw new Error(`${sdk}/${transport}: page saw ${result.chunks} of ${chunks} chunks`);
    await context.close();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const requests = server.sink.requests.slice(firstRequest);
    return {
      sdk,
      transport,
      chunks,
      streamMs: result.streamMs,
      summary: summarize(profile, sdkUrlMatcher(sdk), { maxSampleUs }),
      // The middle half of the stream (the profile starts just before it): per-chunk work at steady
      // state, without the stream's first executions of our code, its end and the export after it.
      steady: summarize(profile, sdkUrlMatcher(sdk), { maxSampleUs, window: [0.25 * result.streamMs * 1000, 0.75 * result.streamMs * 1000] }),
      // The uncapped share too, when samples are capped (comparable with earlier runs of the documented method).
      rawShare: Number.isFinite(maxSampleUs) ? summarize(profile, sdkUrlMatcher(sdk)).share : undefined,
      heapGrowth: after.usedSize - before.usedSize,
      sinkRequests: requests.length,
      sinkBytes: requests.reduce((sum, r) => sum + r.bytes, 0),
      profile,
      loafs,
      streamWindow,
    };
  } finally {
    await context.close().catch(() => {});
  }
}
