// A page's main-thread CPU from CDP Performance.getMetrics (enable it with timeDomain 'threadTicks').

/** Script, task and style + layout time so far, in ms. */
export async function cpuMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const pick = (name) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
  return { scriptMs: pick('ScriptDuration'), taskMs: pick('TaskDuration'), layoutMs: pick('LayoutDuration') + pick('RecalcStyleDuration') };
}

/** The counters restart when a navigation moves the page to a new renderer: then `b` is the whole. */
export const cpuDelta = (a, b) => (b.taskMs < a.taskMs ? b : { scriptMs: b.scriptMs - a.scriptMs, taskMs: b.taskMs - a.taskMs, layoutMs: b.layoutMs - a.layoutMs });
