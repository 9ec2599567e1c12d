// The floor under bench/panel-render.mjs's "load → list painted": pages that cost the panel nothing,
// loaded the same way (fresh context, same collector, same in-page probe), so the panel's time can
// be read against what this machine charges any page at that moment.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installProbe, listPainted } from './panel-probe.mjs';
import { cpuDelta, cpuMetrics } from './page-cpu.mjs';

/** A copy of the panel build plus `floor-blank.html`; the static page is added by writeSnapshot. */
export async function floorDir(panelDir, messages) {
  const dir = await mkdtemp(join(process.env.TMPDIR ?? tmpdir(), 'panel-floor-'));
  await cp(panelDir, dir, { recursive: true });
  await writeFile(
    join(dir, 'floor-blank.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><span class="counts">${messages} traces</span><button type="button" class="message-row">row</button></body></html>\n`,
  );
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Loads the panel once and saves the DOM of the frame that first showed the list (rows, toolbar,
 * its <style>) without scripts or preload links as `floor-static.html`: the same content as the
 * list's first paint, with no code.
 */
export async function writeSnapshot({ browser, url, messages, dir }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(installProbe, { listCount: messages, snapshot: true });
    await page.goto(`${url}/?messages=${messages}`, { waitUntil: 'load' });
    await page.evaluate(listPainted, messages);
    const html = await page.evaluate(() => window.__bench.snapshot);
    await writeFile(join(dir, 'floor-static.html'), html);
  } finally {
    await context.close();
  }
}

/** A fresh context opens `url`: navigation start → the counter and a row on screen, painted. */
export async function measureFloor({ browser, url, messages }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    await page.addInitScript(installProbe, { listCount: messages });
    const before = await cpuMetrics(cdp);
    await page.goto(url, { waitUntil: 'load' });
    const { paintedMs } = await page.evaluate(listPainted, messages);
    return { paintedMs, cpu: { taskMs: cpuDelta(before, await cpuMetrics(cdp)).taskMs } };
  } finally {
    await context.close();
  }
}
